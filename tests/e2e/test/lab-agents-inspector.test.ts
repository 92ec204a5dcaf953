// What the real MCP Inspector CLI does with each failure-lab scenario switched on, driven offline as in
// real-client-inspector.test.ts: `mcp-inspector --cli <mcp-url> --method tools/call` with its own
// `--callback-url http://localhost:3118/callback`, allowed to open $BROWSER (which approves in
// Chromium), its tokens in its file store. Each run is one process that connects, signs in if it
// must, calls one tool and exits. Each scenario is switched through the console's failure-lab API;
// what the Inspector sent is read back from the console's Flows view. Every assertion is an
// observation: packages/config/src/failure-lab-agents/inspector.ts states the same, and an Inspector
// version that behaves otherwise fails here. One sign-in serves every scenario that needs none of its
// own, and those that need a first sign-in come last (`--relogin` deletes the stored one).
//
// The Inspector keeps `expires_in` but not when it got it, so it refreshes only after a 401: where a
// scenario acts on a refresh, the test ends the held access token at the server (as its expiry
// would) instead of waiting out a short one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSPECTOR } from '@enginy/config/failure-lab-agents/inspector';
import { shortenToken } from '@enginy/db/queries/failure-lab';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserRecords,
  cliCommand,
  cliVersion,
  type LoginOutcome,
  loginThroughBrowser,
  type RunResult,
  run,
  type Scratch,
  scratch,
} from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { labStepsSince, REFRESH_REFUSED, recordOf, stepLine } from '../src/lab-steps.ts';
import { freeCallbackPort, mcpStatus } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';

const e2e = useStack();
const s = scratch('inspector');
// As in real-client-inspector.test.ts: its auto-open allowed without a TTY, and its file store, which
// keeps tokens between runs.
const inspectorScratch: Scratch = {
  ...s,
  env: { ...s.env, MCP_AUTO_OPEN_ENABLED: 'true', MCP_INSPECTOR_SECRET_STORE: 'file' },
};
const inspector = [...cliCommand('inspector'), '--cli'];
let api: ConsoleClient;
let logins = 0;
/** The first sign-in, with expire-access (3 s) and challenge-without-scope on. */
let first: LoginOutcome;
let firstSteps: string[];

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;
const stepsSince = (since: number) => labStepsSince(api, since);
const linesSince = async (since: number) => (await stepsSince(since)).map(stepLine);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

const WHOAMI = ['--method', 'tools/call', '--tool-name', 'mcp_whoami'];
const CREATE_CONTACT = [
  '--method',
  'tools/call',
  '--tool-name',
  'create_contact',
  '--tool-args-json',
  JSON.stringify({ body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' } }),
];
/** The recipe's flags: one JSON answer, and the callback URL the demo allowlists. */
const command = (...args: string[]) => [
  ...inspector,
  mcpUrl(),
  ...args,
  '--format',
  'json',
  '--callback-url',
  'http://localhost:3118/callback',
];

/** A run that needs no browser (one that opened it would be approved all the same). */
async function inspect(...args: string[]): Promise<RunResult> {
  await freeCallbackPort();
  return await run(command(...args), { cwd: s.project, env: inspectorScratch.env, timeoutMs: 30_000 });
}
/** A run that opens the browser, once the callback port is free. */
async function login(...args: string[]): Promise<LoginOutcome> {
  await freeCallbackPort();
  logins += 1;
  const outcome = await loginThroughBrowser(inspectorScratch, command(...args), logins);
  // The browser step itself failing (a page never reached) is nothing the Inspector did: say so.
  if (outcome.browser.failure !== undefined)
    throw new Error(`The browser step failed: ${outcome.browser.failure}\n${outcome.cli.output.slice(-2000)}`);
  return outcome;
}

/** The one JSON line `--format json` prints: the result, or the error envelope. */
function answer(output: string): {
  result?: { structuredContent?: { user?: { email: string } } };
  error?: { message: string };
} {
  const line = output.split('\n').find((text) => /^\{"(result|error)":/.test(text));
  if (line === undefined) throw new Error(`The Inspector printed no JSON answer:\n${output.slice(-3000)}`);
  return JSON.parse(line);
}
const answeredWhoami = (result: RunResult) =>
  result.code === 0 && answer(result.output).result?.structuredContent?.user?.email === 'dev@enginy.local';

const secretsFile = () => join(s.home, '.mcp-inspector', 'secrets.json');
/** The tokens the Inspector keeps for the MCP URL and `atIssuer` in its file store. */
function storedTokens(atIssuer = issuer()): { access_token: string; refresh_token: string; expires_in: number } {
  const { secrets } = JSON.parse(readFileSync(secretsFile(), 'utf8')) as { secrets: Record<string, string> };
  const key = `${encodeURIComponent(mcpUrl())}:tokens:${atIssuer}`;
  const entry = Object.entries(secrets).find(([name]) => name.endsWith(key));
  if (entry === undefined) throw new Error(`The Inspector stored no tokens at ${atIssuer}: ${Object.keys(secrets)}`);
  return JSON.parse(entry[1]);
}
/** Ends the held access token at the server now, as its expiry would: its next request gets a 401. */
async function heldTokenEnded(): Promise<void> {
  const { access_token } = storedTokens();
  await shortenToken(e2e.db, hashSecret(e2e.stack.config.tokenHashKey, access_token), new Date());
  expect(await mcpStatus(mcpUrl(), access_token)).toBe(401);
}
const opened = () => browserRecords(s).length;

const seen = recordOf(INSPECTOR);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl(), 'http://localhost:3001/mcp').replaceAll(issuer(), 'http://localhost:3002');

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  await api.labOn('expire-access', 'workspace', { seconds: 3 });
  await api.labOn('challenge-without-scope', 'global');
  const since = Date.now();
  first = await login(...WHOAMI);
  firstSteps = await linesSince(since);
  await api.labAllOff();
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(() => s.remove());

describe(`MCP Inspector CLI ${cliVersion('inspector')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(INSPECTOR.version).toBe(cliVersion('inspector'));
  });

  it('challenge-without-scope: registers and asks for the resource metadata’s scopes_supported', async () => {
    expect(first.browser.errorText, first.browser.pageText).toBeUndefined();
    expect(answeredWhoami(first.cli), first.cli.output.slice(-2000)).toBe(true);
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(metadata.scopes_supported).toHaveLength(11);
    expect(new URL(first.browser.url).searchParams.get('scope')).toBe(metadata.scopes_supported.join(' '));
    expect(firstSteps).toEqual(SIGN_IN);
    seen('challenge-without-scope', 'unaffected');
  });

  it('expire-access: its 3 s token refused (401), it refreshes once and the call succeeds; no new sign-in', async () => {
    const held = storedTokens();
    expect(held.expires_in).toBe(3);
    await expect.poll(() => mcpStatus(mcpUrl(), held.access_token), { timeout: 10_000 }).toBe(401);
    const since = Date.now();
    const called = await inspect(...WHOAMI);
    expect(answeredWhoami(called), called.output.slice(-2000)).toBe(true);
    expect(await linesSince(since)).toEqual(['refresh 200']);
    expect(storedTokens().access_token).not.toBe(held.access_token);
    expect(opened()).toBe(logins);
    seen('expire-access', 'recovers');
  });

  it('token-unavailable: one refresh answered 503, no retry; it fails the call quoting the server and keeps its refresh token', async () => {
    await heldTokenEnded();
    const held = storedTokens().refresh_token;
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const since = Date.now();
    const called = await inspect(...WHOAMI);
    expect(called.code).toBe(1);
    const said = 'The token endpoint is unavailable (failure lab: token-unavailable); try again shortly';
    expect(answer(called.output).error?.message).toBe(said);
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(storedTokens().refresh_token).toBe(held);
    expect(opened()).toBe(logins);
    expect(seen('token-unavailable', 'stops')).toContain(said);
  });

  it('step-up: refreshes on the 403, which cannot widen the grant, and fails the call; no prompt, no browser', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    // A live token first (the one held may have ended), so that what follows is the 403's doing.
    expect(answeredWhoami(await inspect(...WHOAMI))).toBe(true);
    await api.labOn('step-up', 'workspace');
    const since = Date.now();
    // "y" on its stdin, should it ask "Proceed with step-up authorization? [y/N]": it does not ask.
    await freeCallbackPort();
    const answered = ['sh', '-c', 'echo y | "$@"', 'sh', ...command(...CREATE_CONTACT)];
    const called = await run(answered, { cwd: s.project, env: inspectorScratch.env, timeoutMs: 30_000 });
    expect(called.code).toBe(1);
    const said = 'Unexpected: auth() returned AUTHORIZED without authorization code';
    expect(answer(called.output).error?.message).toBe(said);
    expect(called.output).not.toContain('Proceed with step-up authorization?');
    const steps = await stepsSince(since);
    expect(steps.map(stepLine)).toEqual(['refresh 200']);
    expect(steps[0]?.scenarios).toContain('step-up');
    expect(steps[0]?.sent.scope).toBeUndefined();
    expect(opened()).toBe(logins);
    expect(seen('step-up', 'stops')).toContain(said);
  });

  it('refresh-no-grace: a second run holding the token the first already rotated: invalid_grant, the grant revoked, and it signs in again', async () => {
    await api.labOn('refresh-no-grace', 'workspace');
    await heldTokenEnded();
    // Two runs at once on one store both read the token before either refreshed (seen in two runs
    // of three; in the third they did not overlap): here the second reads the store as it was.
    const before = readFileSync(secretsFile(), 'utf8');
    const since = Date.now();
    const firstRun = await inspect(...WHOAMI);
    expect(answeredWhoami(firstRun), firstRun.output.slice(-2000)).toBe(true);
    const rotated = storedTokens();
    writeFileSync(secretsFile(), before);
    const second = await login(...WHOAMI);
    expect(answeredWhoami(second.cli), second.cli.output.slice(-2000)).toBe(true);
    const said =
      '[mcp-sdk] OAuth "invalid_grant" — invalidating the stored tokens and retrying authorization. Cause: "The refresh token was already used; the connection is revoked and must be authorized again"';
    expect(second.cli.output).toContain(said);
    expect(await linesSince(since)).toEqual(['refresh 200', REFRESH_REFUSED, ...SIGN_IN.slice(1)]);
    // The reuse revoked the grant: the first run's new token is refused too.
    expect(await mcpStatus(mcpUrl(), rotated.access_token)).toBe(401);
    expect(seen('refresh-no-grace', 'authorizes-again')).toContain(said);
  });

  it('forget-client: its refresh refused (invalid_client), it registers again and sends the person through the browser', async () => {
    const oldClient = new URL(first.browser.url).searchParams.get('client_id');
    await api.labOn('forget-client', 'global');
    await heldTokenEnded();
    const since = Date.now();
    const signedIn = await login(...WHOAMI);
    expect(answeredWhoami(signedIn.cli), signedIn.cli.output.slice(-2000)).toBe(true);
    const said = `[mcp-sdk] OAuth "invalid_client" — invalidating the stored client credentials and tokens and retrying authorization. Cause: "Unknown client_id ${oldClient}; register the client again"`;
    expect(signedIn.cli.output).toContain(said);
    const steps = await stepsSince(since);
    expect(steps.map(stepLine)).toEqual(['refresh 401 invalid_client', ...SIGN_IN]);
    expect(steps[0]?.sent.client_id).toBe(oldClient);
    const newClient = new URL(signedIn.browser.url).searchParams.get('client_id');
    expect(newClient).not.toBe(oldClient);
    expect(steps[1]?.sent.client_name).toBe('MCP Inspector');
    expect(seen('forget-client', 'authorizes-again')).toContain(said.replace(oldClient ?? '', '<id>'));
  });

  it('issuer-moved: after the 401 it refreshes at the old issuer and goes on; a new login follows the move to /v2', async () => {
    await api.labOn('issuer-moved', 'global');
    await heldTokenEnded();
    const moved = Date.now();
    const called = await inspect(...WHOAMI);
    expect(answeredWhoami(called), called.output.slice(-2000)).toBe(true);
    // A refresh of the old issuer's token: /v2 would refuse it, so it went to the old issuer.
    const refreshed = await stepsSince(moved);
    expect(refreshed.map(stepLine)).toEqual(['refresh 200']);
    expect(refreshed[0]?.scenarios).toContain('issuer-moved');
    expect(opened()).toBe(logins);

    const fresh = Date.now();
    const signedIn = await login(...WHOAMI, '--relogin');
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    expect(answeredWhoami(signedIn.cli), signedIn.cli.output.slice(-2000)).toBe(true);
    const url = new URL(signedIn.browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(signedIn.browser.callback).toBe(
      `http://localhost:3118/callback?iss=${encodeURIComponent(`${issuer()}/v2`)}`,
    );
    expect(await linesSince(fresh)).toEqual(SIGN_IN);
    expect(storedTokens(`${issuer()}/v2`).refresh_token).toBeTruthy();
    seen('issuer-moved', 'unaffected');
  });

  it('iss-mismatch: refuses the authorization response before redeeming the code, quoting RFC 9207', async () => {
    await api.labOn('iss-mismatch', 'global');
    const since = Date.now();
    const attempt = await login(...WHOAMI, '--relogin');
    expect(attempt.browser.callback).toBe(
      `http://localhost:3118/callback?iss=${encodeURIComponent(`${issuer()}/failure-lab-wrong-issuer`)}`,
    );
    expect(attempt.cli.code).toBe(1);
    const said = `Issuer mismatch in authorization response (RFC 9207): expected "${issuer()}", received "${issuer()}/failure-lab-wrong-issuer"`;
    expect(answer(attempt.cli.output).error?.message).toBe(said);
    expect(await linesSince(since)).toEqual(SIGN_IN.slice(0, 4));
    expect(seen('iss-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('no-dcr: stops after discovery, before registering or opening the browser', async () => {
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const attempt = await inspect(...WHOAMI, '--relogin');
    expect(attempt.code).toBe(1);
    const said = 'Incompatible auth server: does not support dynamic client registration';
    expect(answer(attempt.output).error?.message).toBe(said);
    expect(await linesSince(since)).toEqual([]);
    expect(opened()).toBe(logins);
    expect(seen('no-dcr', 'stops')).toContain(said);
  });

  it('resource-mismatch: refuses the metadata before registering', async () => {
    await api.labOn('resource-mismatch', 'global');
    const since = Date.now();
    const attempt = await inspect(...WHOAMI, '--relogin');
    expect(attempt.code).toBe(1);
    const said = `Protected resource ${mcpUrl()}/ does not match expected ${mcpUrl()} (or origin)`;
    expect(answer(attempt.output).error?.message).toBe(said);
    expect(await linesSince(since)).toEqual([]);
    expect(opened()).toBe(logins);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });
});
