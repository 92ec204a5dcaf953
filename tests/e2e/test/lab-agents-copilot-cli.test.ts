// What the real GitHub Copilot CLI does with failure-lab scenarios switched on, driven offline as in
// real-client-copilot-cli.test.ts: `copilot mcp add`, `"auth": {"redirectPort": 3118}` in its entry
// with http://127.0.0.1:3118/callback allowlisted, and its interactive UI in a terminal, where
// `/mcp auth enginy` signs in through the browser ($BROWSER approves in Chromium) and a prompt to a
// loopback stand-in model calls a tool. One UI and one scratch HOME for the whole file, in the
// test's order: the scenarios that act on a held token share the first sign-in, those that act on a
// sign-in come last. Each scenario is switched through the console's failure-lab API; what Copilot
// sent is read back from the console's Flows view. Every assertion is an observation:
// packages/config/src/failure-lab-agents/copilot-cli.ts states the same, and a Copilot CLI version
// that behaves otherwise fails here.
//
// Copilot refreshes on the first prompt after its stored expiry, or after a 401: where a scenario acts
// on a refresh, the token it holds is a 3 s one (expire-access) and the test waits it out, or the
// test ends it at the server. For refresh-no-grace a second UI on the same HOME is the second session
// (its `-p` mode never uses the stored login). Left alone, the two refreshed about 0.7 s apart here
// and overlapped only under a load of about 9, so the whole stack runs behind a loopback proxy
// (auth-proxy.ts) that holds one UI's refresh until the other's has come: they overlap whatever the load.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COPILOT_CLI } from '@enginy/config/failure-lab-agents/copilot-cli';
import { shortenToken } from '@enginy/db/queries/failure-lab';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserOpens, browserRecord, cliCommand, cliVersion, run, scratch } from '../src/agent-clis.ts';
import { refreshDigest, startAuthProxy } from '../src/auth-proxy.ts';
import { consoleApi } from '../src/console-api.ts';
import { COPILOT_CLIENT_ID, COPILOT_RECIPE_REDIRECT_URI, copilotEnv } from '../src/copilot-cli.ts';
import { labStepsSince, REFRESH_REFUSED, REFRESH_REUSED, recordOf, stepLine } from '../src/lab-steps.ts';
import { type ModelServer, startModelServer, type ToolToCall, toolResults } from '../src/model-server.ts';
import { freeCallbackPort, mcpStatus } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';

const proxy = await startAuthProxy();
const e2e = useStack({ ...proxy.env });
const copilot = cliCommand('copilot');
const s = scratch('copilot');
const SIGN_IN = ['authorize 302', 'sign-in 200', 'consent 200', 'token 200'];
const UNAVAILABLE = 'temporarily_unavailable';
let api: ConsoleClient;
let ui: TerminalSession;
/** The UI's stand-in model, told which tool to call before each prompt. */
let model: ModelServer;
let env: Record<string, string>;
/** The first sign-in's browser run, with expire-access (3 s) and challenge-without-scope on. */
let firstUrl: URL;
let firstSteps: string[];

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;
const linesSince = async (since: number) => (await labStepsSince(api, since)).map(stepLine);
const opened = () => browserOpens(s);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of the screen: the footer says "Interactive ·" when no dialog is open and no prompt runs. */
const footer = async (t = ui) => (await t.screen()).trimEnd().split('\n').slice(-3).join('\n');
async function idle(timeoutMs = 30_000, t = ui): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await footer(t)).includes('Interactive ·')) {
    if (Date.now() > deadline) throw new Error(`The UI stayed busy:\n${await t.screen()}`);
    await pause(250);
  }
}
/** Closes the dialog `/mcp auth` leaves open (Esc only while one is: at the prompt, Esc rewinds). */
async function closeDialogs(): Promise<void> {
  for (let attempt = 1; !(await footer()).includes('Interactive ·'); attempt++) {
    if (attempt > 5) throw new Error(`A dialog stayed open:\n${await footer()}`);
    await ui.press('Escape');
    await ui.waitFor(/Interactive ·/, 2_000).catch(() => undefined);
  }
}

/** The dialog `/mcp auth` leaves open once it has ended: its lines, from its title on. */
async function authDialog(): Promise<string> {
  const screen = await ui.waitFor(/Successfully authenticated with enginy\.|Authentication failed: /, 30_000);
  // The dialog settles (a reconnect line may follow the first).
  await pause(1_000);
  const lines = (await ui.screen()).split('\n').map((line) => line.trim());
  return (
    lines
      .slice(lines.findIndex((line) => /Authentication Successful|Authenticating: enginy/.test(line)))
      .filter(Boolean)
      .join('\n') || screen
  );
}

const WHOAMI: ToolToCall = { tool: 'mcp_whoami', args: {} };
const CREATE_CONTACT: ToolToCall = {
  tool: 'create_contact',
  args: { body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' } },
};
/** A prompt in UI `t` for the tool its stand-in `to` then calls: the tool's result as Copilot passed it back. */
async function ask({ tool, args }: ToolToCall, t = ui, to = model): Promise<string> {
  await idle(30_000, t);
  to.callNext({ tool, args });
  const before = to.requests.length;
  await t.type(`Call the enginy ${tool} tool.`);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [result] = toolResults(to.requests.slice(before), tool);
    if (result !== undefined) {
      await idle(60_000, t);
      return result;
    }
    if (Date.now() > deadline) throw new Error(`No ${tool} result reached the model:\n${await t.screen()}`);
    await pause(250);
  }
}
const answeredWhoami = (result: string) => result.includes('"email":"dev@enginy.local"');

/** `/mcp auth enginy`, unless Copilot has opened the browser by itself already: the `n`th browser run. */
async function mcpAuth(n: number) {
  await freeCallbackPort();
  if (opened() < n) {
    await idle();
    await ui.type('/mcp auth enginy');
  }
  return browserRecord(s, n, 90_000);
}

interface StoredToken {
  accessToken: string;
  refreshToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}
/** Copilot's token for enginy: `<key>.tokens.json` beside the `<key>.json` that names the server's URL. */
function storedToken(): StoredToken | undefined {
  const dir = join(s.home, '.copilot', 'mcp-oauth-config');
  const config = readdirSync(dir).find(
    (name) =>
      name.endsWith('.json') &&
      !name.endsWith('.tokens.json') &&
      (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { serverUrl?: string }).serverUrl === mcpUrl(),
  );
  const tokens = join(dir, (config ?? '').replace(/\.json$/, '.tokens.json'));
  return config !== undefined && existsSync(tokens)
    ? (JSON.parse(readFileSync(tokens, 'utf8')) as StoredToken)
    : undefined;
}
/** Until the token Copilot holds has expired by both clocks: its own, and the server's (401). */
async function heldTokenExpired(): Promise<StoredToken> {
  const held = storedToken();
  if (held === undefined) throw new Error('Copilot holds no token');
  expect(held.expiresAt * 1000 - Date.now()).toBeLessThanOrEqual(3_000);
  const deadline = Date.now() + 15_000;
  while (Date.now() <= held.expiresAt * 1000 || (await mcpStatus(mcpUrl(), held.accessToken)) !== 401) {
    if (Date.now() > deadline) throw new Error('The token Copilot holds never expired');
    await pause(250);
  }
  return held;
}

/** Copilot's own log lines so far (~/.copilot/logs). */
function logs(): string {
  const dir = join(s.home, '.copilot', 'logs');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

const seen = recordOf(COPILOT_CLI);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl(), 'http://localhost:3001/mcp').replaceAll(issuer(), 'http://localhost:3002');

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  model = await startModelServer();
  env = copilotEnv(s, model.url);
  const added = await run([...copilot, 'mcp', 'add', '--transport', 'http', 'enginy', mcpUrl()], {
    cwd: s.project,
    env,
    timeoutMs: 120_000,
  });
  expect(added.output).toContain(`URL: ${mcpUrl()}`);
  const file = join(s.home, '.copilot', 'mcp-config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, Record<string, unknown>> };
  (config.mcpServers.enginy as Record<string, unknown>).auth = { redirectPort: 3118 };
  writeFileSync(file, JSON.stringify(config, null, 2));
  const { allowedRedirectUris } = await api.settings();
  await api.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, COPILOT_RECIPE_REDIRECT_URI] });

  await api.labOn('expire-access', 'workspace', { seconds: 3 });
  await api.labOn('challenge-without-scope', 'global');
  const since = Date.now();
  await freeCallbackPort();
  ui = await TerminalSession.start([...copilot, '--allow-all-tools'], { cwd: s.project, env });
  await ui.waitFor(/Do you trust the files in this folder\?/, 90_000);
  await ui.pressUntil('Enter', /MCP Servers reloaded|requires authentication|Waiting for authorization/, 30_000);
  const first = await mcpAuth(1);
  expect(first.errorText, first.pageText).toBeUndefined();
  firstUrl = new URL(first.url);
  // The browser run ends at the callback; Copilot redeems the code after.
  const deadline = Date.now() + 15_000;
  firstSteps = await linesSince(since);
  while (!firstSteps.includes('token 200')) {
    if (Date.now() > deadline) throw new Error(`No token step: ${firstSteps}`);
    await pause(250);
    firstSteps = await linesSince(since);
  }
  await api.labAllOff();
  await closeDialogs();
}, 240_000);
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(async () => {
  await ui?.close();
  await model?.close();
  await proxy.close();
  s.remove();
});

describe(`GitHub Copilot CLI ${cliVersion('copilot')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(COPILOT_CLI.version).toBe(cliVersion('copilot'));
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported, with its metadata-document client ID', async () => {
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(metadata.scopes_supported).toHaveLength(11);
    expect(firstUrl.searchParams.get('scope')).toBe(metadata.scopes_supported.join(' '));
    expect(firstUrl.searchParams.get('client_id')).toBe(COPILOT_CLIENT_ID);
    expect(firstSteps).toEqual(SIGN_IN);
    seen('challenge-without-scope', 'unaffected');
  });

  it('expire-access: its first prompt after the 3 s token expired refreshes (200) and the call succeeds; no new sign-in', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const held = await heldTokenExpired();
    const runs = opened();
    const mark = logs().length;
    const since = Date.now();
    expect(answeredWhoami(await ask(WHOAMI))).toBe(true);
    // One refresh, and under load a second, when the new 3 s token runs out before the call is done.
    const refreshes = await linesSince(since);
    expect(refreshes.length, refreshes.join('\n')).toBeGreaterThan(0);
    expect(new Set(refreshes)).toEqual(new Set(['refresh 200']));
    expect(logs().slice(mark)).toContain('Refreshing authentication for enginy...');
    expect(storedToken()?.refreshToken).not.toBe(held.refreshToken);
    expect(opened()).toBe(runs);
    seen('expire-access', 'recovers');
  });

  it('forget-client: unaffected, its client ID being its metadata document: the refresh answers 200', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('forget-client', 'global');
    await heldTokenExpired();
    const runs = opened();
    const since = Date.now();
    expect(answeredWhoami(await ask(WHOAMI))).toBe(true);
    // (A second refresh, under load, as in expire-access: the same answer.)
    const steps = await labStepsSince(api, since);
    expect(steps.length, steps.map(stepLine).join('\n')).toBeGreaterThan(0);
    for (const step of steps) {
      expect(stepLine(step)).toBe('refresh 200');
      expect(step.scenarios).toContain('forget-client');
      expect(step.sent.client_id).toBe(COPILOT_CLIENT_ID);
    }
    expect(opened()).toBe(runs);
    seen('forget-client', 'unaffected');
  });

  it('token-unavailable: on the refresh’s 503 it sends the person through the browser, twice; both codes meet a 503 and the call fails', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await heldTokenExpired();
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const runs = opened();
    const since = Date.now();
    const result = await ask(WHOAMI);
    await expect.poll(() => opened() - runs, { timeout: 30_000 }).toBe(2);
    const refused = [...SIGN_IN.slice(0, 3), `token 503 ${UNAVAILABLE}`];
    await expect
      .poll(() => linesSince(since), { timeout: 30_000 })
      .toEqual([`refresh 503 ${UNAVAILABLE}`, ...refused, ...refused]);
    const said =
      "MCP server 'enginy': Re-authentication required for MCP server \"enginy\". Sign in again through your MCP client's authentication settings.";
    expect(result).toBe(said);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(0);
    expect(seen('token-unavailable', 'authorizes-again')).toContain(said);

    // It let its refresh token go: with the lab off, the next prompt signs in through the browser.
    await api.labAllOff();
    const again = Date.now();
    expect(answeredWhoami(await ask(WHOAMI))).toBe(true);
    expect(await linesSince(again)).toEqual(SIGN_IN);
    expect(opened()).toBe(runs + 3);
  });

  it('step-up: on the 403 it authorizes again for what it held plus CONTACTS_WRITE, and the call goes through', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const held = firstUrl.searchParams.get('scope')?.split(' ') ?? [];
    const runs = opened();
    const since = Date.now();
    const result = await ask(CREATE_CONTACT);
    const login = await browserRecord(s, runs + 1);
    expect(login.errorText, login.pageText).toBeUndefined();
    expect(new URL(login.url).searchParams.get('scope')).toBe([...held, 'CONTACTS_WRITE'].join(' '));
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(opened()).toBe(runs + 1);
    // Here the call goes through on the new token; once, with a refresh just before (not this file's
    // order), the call in flight failed instead, as the record says.
    const said = "MCP server 'enginy': MCP connection changed while authorizing retry";
    expect(result.includes('"message":"Contact created"') || result === said, result).toBe(true);
    expect(seen('step-up', 'authorizes-again')).toContain(said);
  });

  it('refresh-no-grace: two UIs on one login refresh the same token at once; the one refused signs in again, the other’s call fails', async () => {
    const otherModel = await startModelServer();
    const other = await TerminalSession.start([...copilot, '--allow-all-tools'], {
      cwd: s.project,
      env: { ...env, COPILOT_PROVIDER_BASE_URL: otherModel.url },
    });
    try {
      await other.waitFor(/Do you trust the files in this folder\?/, 90_000);
      await other.pressUntil('Enter', /MCP Servers reloaded: 1 server connected/, 30_000);
      await api.labOn('refresh-no-grace', 'workspace');
      const grants = (await api.connections()).map((connection) => connection.grantId);
      // Both hold the token the first UI stored; it ends at the server, as its expiry would.
      const held = storedToken();
      await shortenToken(e2e.db, hashSecret(e2e.stack.config.tokenHashKey, held?.accessToken ?? ''), new Date());
      expect(await mcpStatus(mcpUrl(), held?.accessToken ?? '')).toBe(401);
      const runs = opened();
      const since = Date.now();
      // The second UI's refresh waits at the proxy until the first UI's has come, then the two go on in
      // that order: both carry the refresh token read before any rotation. (Either order gives the same
      // outcome, by role; this one leaves the first UI, which the later cases use, signed in again.)
      const overlap = proxy.holdRefreshes(2);
      const before = proxy.refreshes.length;
      const otherAnswer = ask(WHOAMI, other, otherModel);
      await expect.poll(() => proxy.refreshes.length, { timeout: 30_000 }).toBe(before + 1);
      const [answer, answerOther] = await Promise.all([ask(WHOAMI), otherAnswer]);
      const { released, held: refreshes } = await overlap;
      expect(released).toBe('together');
      const digest = refreshDigest(held?.refreshToken ?? '');
      expect(refreshes.map((refresh) => refresh.token)).toEqual([digest, digest]);
      expect(refreshes.map((refresh) => refresh.status)).toEqual([200, 400]);
      const steps = await labStepsSince(api, since);
      expect(steps.map(stepLine)).toEqual(['refresh 200', REFRESH_REFUSED, ...SIGN_IN]);
      expect(steps[1]?.description).toBe(REFRESH_REUSED);
      // The second UI's new token went with the family: its call fails, and it does not open the browser.
      const said =
        "MCP server 'enginy': Re-authentication required for MCP server \"enginy\". Sign in again through your MCP client's authentication settings.";
      expect(answerOther).toBe(said);
      await other.waitFor(/! MCP server 'enginy' requires authentication\. Use \/mcp auth enginy to connect\./);
      // The first UI, refused, went through the browser once: a new grant, and its call succeeds on it.
      expect(opened()).toBe(runs + 1);
      const after = (await api.connections()).map((connection) => connection.grantId);
      const revoked = grants.filter((grant) => !after.includes(grant));
      const added = after.filter((grant) => !grants.includes(grant));
      expect([revoked.length, added.length]).toEqual([1, 1]);
      expect(answeredWhoami(answer)).toBe(true);
      expect(answer).toContain(`Grant ${added[0]} for client ${COPILOT_CLIENT_ID}.`);
      expect(seen('refresh-no-grace', 'authorizes-again')).toContain(said);
    } finally {
      await other.close();
      await otherModel.close();
    }
  });

  it('iss-mismatch: redeems the code although the callback’s iss names another issuer, and says it authenticated', async () => {
    await api.labOn('iss-mismatch', 'global');
    const runs = opened();
    const since = Date.now();
    const login = await mcpAuth(runs + 1);
    expect(login.callback).toBe(
      `${COPILOT_RECIPE_REDIRECT_URI}?iss=${encodeURIComponent(`${issuer()}/failure-lab-wrong-issuer`)}`,
    );
    const said = 'Successfully authenticated with enginy.';
    expect(await authDialog()).toContain(said);
    await closeDialogs();
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(seen('iss-mismatch', 'proceeds')).toContain(said);
  });

  it('resource-mismatch: sends the metadata’s resource (with its trailing slash) to /authorize, which refuses it', async () => {
    await api.labOn('resource-mismatch', 'global');
    const runs = opened();
    const since = Date.now();
    const login = await mcpAuth(runs + 1);
    expect(new URL(login.url).searchParams.get('resource')).toBe(`${mcpUrl()}/`);
    const refused = new URL(login.callback ?? '').searchParams;
    expect([refused.get('error'), refused.get('error_description')]).toEqual([
      'invalid_target',
      `resource must be ${mcpUrl()}`,
    ]);
    const said = `Authentication failed: MCPOAuthError: OAuth error: resource must be ${mcpUrl()}`;
    expect(await authDialog()).toContain(said);
    await closeDialogs();
    expect(await linesSince(since)).toEqual([]);
    expect(seen('resource-mismatch', 'proceeds')).toContain(asQuoted(said));
  });

  it('no-dcr: signs in with its metadata-document client ID, never registering', async () => {
    await api.labOn('no-dcr', 'global');
    const runs = opened();
    const since = Date.now();
    const login = await mcpAuth(runs + 1);
    expect(login.errorText, login.pageText).toBeUndefined();
    expect(new URL(login.url).searchParams.get('client_id')).toBe(COPILOT_CLIENT_ID);
    const said = 'Successfully authenticated with enginy.';
    expect(await authDialog()).toContain(said);
    await closeDialogs();
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(seen('no-dcr', 'unaffected')).toContain(said);
  });

  it('issuer-moved: `/mcp auth` follows the resource metadata to the /v2 issuer, with the same client ID, and connects', async () => {
    await api.labOn('issuer-moved', 'global');
    const runs = opened();
    const since = Date.now();
    const login = await mcpAuth(runs + 1);
    const url = new URL(login.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(COPILOT_CLIENT_ID);
    expect(login.callback).toBe(`${COPILOT_RECIPE_REDIRECT_URI}?iss=${encodeURIComponent(`${issuer()}/v2`)}`);
    expect(await authDialog()).toContain('Successfully authenticated with enginy.');
    await closeDialogs();
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(answeredWhoami(await ask(WHOAMI))).toBe(true);
    seen('issuer-moved', 'recovers');
  });
});
