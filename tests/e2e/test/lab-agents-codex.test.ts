// What the real Codex CLI does with failure-lab scenarios switched on, driven offline as in
// real-client-codex.test.ts: `codex mcp add` / `codex mcp login` through the browser ($BROWSER
// approves in Chromium), and `codex exec` with a stand-in Responses model to connect and call a tool
// (`codex mcp list` never contacts the server). Each scenario is switched through the console's
// failure-lab API; what Codex sent is read back from the console's Flows view. Every assertion is an
// observation: packages/config/src/failure-lab-agents/codex.ts states the same, and a Codex version
// that behaves otherwise fails here. One sign-in serves every scenario that needs none of its own.
import { CODEX } from '@enginy/config/failure-lab-agents/codex';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserRecords, cliVersion, type LoginOutcome, loginThroughBrowser, scratch } from '../src/agent-clis.ts';
import { CODEX_CALLBACK, codex, codexAuthStatus, codexExec, codexStoredToken } from '../src/codex-cli.ts';
import { consoleApi } from '../src/console-api.ts';
import { labStepsSince, recordOf, stepLine } from '../src/lab-steps.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';

const e2e = useStack();
const s = scratch('codex');
let api: ConsoleClient;
let logins = 0;
/** The first sign-in (`codex mcp add`), with expire-access, no-dcr and challenge-without-scope on. */
let first: LoginOutcome;
let firstSteps: string[];

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;

const stepsSince = (since: number) => labStepsSince(api, since);
const line = stepLine;
const linesSince = async (since: number) => (await stepsSince(since)).map(line);
const SIGN_IN = ['authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

/** A login command in the browser, once the callback port is free. */
async function login(...args: string[]): Promise<LoginOutcome> {
  await freeCallbackPort();
  logins += 1;
  return await loginThroughBrowser(s, [...codex, 'mcp', ...args, ...CODEX_CALLBACK], logins);
}
async function storedTokenExpired(): Promise<void> {
  const left = codexStoredToken(s).expires_at - Date.now() + 250;
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
/** `codex exec` asking the stand-in to call mcp_whoami: Codex's exit, and what the tool answered. */
async function whoami() {
  const asked = await codexExec(s, 'mcp_whoami', {}, 'Who am I?');
  return { ...asked, outputs: asked.model.toolOutputs() };
}
const answeredWhoami = (outputs: string[]) =>
  outputs.length === 1 && outputs[0]?.includes('"email":"dev@enginy.local"');

const seen = recordOf(CODEX);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) => message.replaceAll(issuer(), 'http://localhost:3002');

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  await api.labOn('expire-access', 'workspace', { seconds: 3 });
  await api.labOn('no-dcr', 'global');
  await api.labOn('challenge-without-scope', 'global');
  const since = Date.now();
  first = await login('add', 'enginy', '--url', mcpUrl());
  firstSteps = await linesSince(since);
  await api.labAllOff();
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(() => s.remove());

describe(`Codex CLI ${cliVersion('codex')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(CODEX.version).toBe(cliVersion('codex'));
  });

  it('no-dcr: signs in with its metadata-document client ID, never registering', () => {
    expect(first.browser.errorText, first.browser.pageText).toBeUndefined();
    expect(first.cli.output).toContain('Successfully logged in');
    expect(new URL(first.browser.url).searchParams.get('client_id')).toBe(
      'https://chatgpt.com/oauth/codex/client.json',
    );
    expect(firstSteps).toEqual(SIGN_IN);
    seen('no-dcr', 'unaffected');
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported, as it does anyway', async () => {
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(new URL(first.browser.url).searchParams.get('scope')).toBe(metadata.scopes_supported.join(' '));
    expect(await codexAuthStatus(s)).toBe('o_auth');
    seen('challenge-without-scope', 'unaffected');
  });

  it('expire-access: refreshes before every request with a 3 s token, and the call succeeds', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    expect(codexStoredToken(s).expires_at - Date.now()).toBeLessThanOrEqual(3_000);
    await storedTokenExpired();
    const since = Date.now();
    const asked = await whoami();
    expect(asked.code, asked.output).toBe(0);
    expect(answeredWhoami(asked.outputs)).toBe(true);
    const steps = await linesSince(since);
    expect(steps.length).toBeGreaterThan(1);
    expect(new Set(steps)).toEqual(new Set(['refresh 200']));
    expect(browserRecords(s)).toHaveLength(logins);
    seen('expire-access', 'recovers');
  });

  it('forget-client: its client ID is its metadata document, which is not forgotten: refreshes answer 200', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('forget-client', 'global');
    await storedTokenExpired();
    const since = Date.now();
    const asked = await whoami();
    expect(answeredWhoami(asked.outputs)).toBe(true);
    const refreshed = await stepsSince(since);
    expect(new Set(refreshed.map(line))).toEqual(new Set(['refresh 200']));
    expect(refreshed.every((step) => step.scenarios.includes('forget-client'))).toBe(true);
    expect(codexStoredToken(s).client_id).toBe('https://chatgpt.com/oauth/codex/client.json');
    seen('forget-client', 'unaffected');
  });

  it('refresh-no-grace: two runs at once after expiry take turns refreshing, so no refresh is refused', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('refresh-no-grace', 'workspace');
    await storedTokenExpired();
    const since = Date.now();
    const both = await Promise.all([whoami(), whoami()]);
    for (const asked of both) expect(answeredWhoami(asked.outputs), asked.output).toBe(true);
    const steps = await linesSince(since);
    expect(steps.length).toBeGreaterThan(2);
    expect(new Set(steps)).toEqual(new Set(['refresh 200']));
    expect(browserRecords(s)).toHaveLength(logins);
    seen('refresh-no-grace', 'unaffected');
  });

  it('token-unavailable: one refresh answered 503, no retry; the run fails at start, quoting the server', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await storedTokenExpired();
    await api.labOn('token-unavailable', 'global', { count: 2 });
    const held = codexStoredToken(s).refresh_token;
    const since = Date.now();
    const asked = await whoami();
    expect(asked.code).toBe(1);
    const said =
      'required MCP servers failed to initialize: enginy: OAuth token refresh failed: Server returned error response: temporarily_unavailable: The token endpoint is unavailable (failure lab: token-unavailable); try again shortly';
    expect(asked.output).toContain(said);
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(1);
    expect(asked.model.requests).toEqual([]);
    expect(codexStoredToken(s).refresh_token).toBe(held);
    expect(browserRecords(s)).toHaveLength(logins);
    expect(seen('token-unavailable', 'stops')).toContain(said);
  });

  it('step-up: the tool call fails with "Insufficient scope"; no browser, no new authorization', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    // (Short tokens still, so that the one it holds has expired by issuer-moved's turn.)
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const body = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };
    const asked = await codexExec(s, 'create_contact', { body }, 'Create the contact Ada Lovelace.');
    expect(asked.code, asked.output).toBe(0);
    const said = ['tool call error: tool call failed for `enginy/create_contact`', 'error: Insufficient scope'];
    const outputs = asked.model.toolOutputs();
    expect(outputs).toHaveLength(1);
    for (const part of said) {
      expect(outputs[0]).toContain(part);
      expect(seen('step-up', 'stops')).toContain(part);
    }
    expect(asked.output).toContain('mcp: enginy/create_contact (failed)');
    expect(browserRecords(s)).toHaveLength(logins);
    expect((await linesSince(since)).filter((step) => !step.startsWith('refresh'))).toEqual([]);
    expect(await codexAuthStatus(s)).toBe('o_auth');
  });

  it('iss-mismatch: refuses the authorization response, redeems nothing, and says why', async () => {
    await api.labOn('iss-mismatch', 'global');
    const since = Date.now();
    // The scopes named: after step-up's 403, Codex may ask for CONTACTS_WRITE too (seen in CI, not
    // every run), which the read-only policy refuses before any callback.
    const signedIn = await login('login', 'enginy', '--scopes', [...READ_SCOPES].join(','));
    expect(signedIn.cli.code, `${JSON.stringify(signedIn.browser)}\n${signedIn.cli.output}`).toBe(1);
    const said = `Authorization server issuer mismatch: expected ${issuer()}, received ${issuer()}/failure-lab-wrong-issuer`;
    expect(signedIn.cli.output).toContain('Error: failed to handle OAuth callback');
    expect(signedIn.cli.output).toContain(said);
    expect(await linesSince(since)).toEqual(SIGN_IN.slice(0, 3));
    expect(await codexAuthStatus(s)).toBe('o_auth');
    expect(seen('iss-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('resource-mismatch: falls back to endpoints at the MCP origin, registers with a callback path of its own, and is refused', async () => {
    await api.labOn('resource-mismatch', 'global');
    const since = Date.now();
    const attempt = await login('login', 'enginy');
    const sent = new URL(attempt.browser.url);
    expect(`${sent.origin}${sent.pathname}`).toBe(`${new URL(mcpUrl()).origin}/authorize`);
    expect(sent.searchParams.get('scope')).toBeNull();
    expect(sent.searchParams.get('resource')).toBe(mcpUrl());
    expect(sent.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:3118\/callback\/[\w-]+$/);
    expect(attempt.browser.errorText).toBe('redirect_uri is not allowed');
    const steps = await stepsSince(since);
    expect(steps[0]?.sent).toMatchObject({
      client_name: 'Codex',
      redirect_uris: [sent.searchParams.get('redirect_uri')],
    });
    const lines = steps.map(line);
    expect(lines.slice(0, 3)).toEqual(['register 201', 'authorize 302', 'sign-in 200']);
    expect(new Set(lines.slice(3))).toEqual(new Set(['consent 200 redirect_uri_not_allowed']));
    seen('resource-mismatch', 'proceeds');
  });

  it('issuer-moved: once its token has expired, refuses the old issuer’s tokens and asks for a sign-in; `codex mcp login` goes to the new issuer', async () => {
    expect(codexStoredToken(s).issuer).toBe(issuer());
    await storedTokenExpired();
    await api.labOn('issuer-moved', 'global');
    const since = Date.now();
    const asked = await whoami();
    expect(asked.code).toBe(1);
    const said =
      'required MCP servers failed to initialize: enginy: OAuth authorization server issuer changed for server enginy; authorization required: OAuth authorization required';
    expect(asked.output).toContain(said);
    expect(await linesSince(since)).toEqual([]);
    expect(await codexAuthStatus(s)).toBe('o_auth');

    const signedIn = await login('login', 'enginy');
    expect(signedIn.cli.output).toContain("Successfully logged in to MCP server 'enginy'");
    const url = new URL(signedIn.browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe('https://chatgpt.com/oauth/codex/client.json');
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(codexStoredToken(s).issuer).toBe(`${issuer()}/v2`);
    expect(seen('issuer-moved', 'stops')).toContain(said);
  });
});
