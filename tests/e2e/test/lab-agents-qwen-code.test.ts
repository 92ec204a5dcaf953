// What the real Qwen Code CLI does with failure-lab scenarios switched on, driven offline as in
// real-client-qwen-code.test.ts: `qwen mcp add`, then `/mcp` → enginy → Authenticate in its
// interactive UI in a terminal, the browser approving in Chromium, `qwen mcp list`, which connects
// with the token Qwen stored, and a one-shot `qwen --yolo "<prompt>"` with a stand-in
// OpenAI-compatible model to call a tool. One UI and one scratch HOME for the whole file: a case
// signs in again only where the scenario needs it (Qwen drops its stored token when a refresh fails).
// Each scenario is switched through the console's failure-lab API; what Qwen sent is read back from
// the console's Flows view. Every assertion is an observation:
// packages/config/src/failure-lab-agents/qwen-code.ts states the same, and a Qwen Code version that
// behaves otherwise fails here. The issuer Qwen sees is a loopback proxy in front of the authorization
// server (src/auth-proxy.ts): within one process Qwen refreshes once per connection, so for
// refresh-no-grace two processes on its one stored login refresh at once, and the proxy holds the
// first refresh until the second has come, whatever the machine's load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { QWEN_CODE } from '@enginy/config/failure-lab-agents/qwen-code';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserRecord,
  browserRecords,
  cliCommand,
  cliVersion,
  type RunResult,
  run,
  scratch,
} from '../src/agent-clis.ts';
import { startAuthProxy } from '../src/auth-proxy.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { labStepsSince, REFRESH_REFUSED, REFRESH_REUSED, recordOf, stepLine } from '../src/lab-steps.ts';
import { type ModelServer, STAND_IN_MODEL, startModelServer, toolResults } from '../src/model-server.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';

const QWEN_REDIRECT_URI = 'http://localhost:7777/oauth/callback';
const proxy = await startAuthProxy();
const e2e = useStack({ ...proxy.env });
const qwen = cliCommand('qwen');
const s = scratch('qwen');
const contact = { body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' } };
let api: ConsoleClient;
let model: ModelServer;
let env: Record<string, string>;
let ui: TerminalSession;

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;
/** `qwen <args>` to its end, in the project folder, colours stripped. */
async function cli(...args: string[]): Promise<RunResult> {
  const done = await run([...qwen, ...args], { cwd: s.project, env, timeoutMs: 120_000 });
  return { ...done, output: stripVTControlCharacters(done.output) };
}

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  const { allowedRedirectUris } = await api.settings();
  await api.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, QWEN_REDIRECT_URI] });
  // The stand-in finds create_contact behind Qwen's tool search and calls it (step-up).
  model = await startModelServer({ tool: 'create_contact', args: contact });
  env = { ...s.env, OPENAI_API_KEY: 'offline-e2e-key', OPENAI_BASE_URL: model.url, OPENAI_MODEL: STAND_IN_MODEL };
  const added = await cli('mcp', 'add', '--transport', 'http', 'enginy', mcpUrl());
  expect(added.output).toContain('MCP server "enginy" added to user settings. (http)');
  ui = await TerminalSession.start([...qwen, '--auth-type', 'openai'], { cwd: s.project, env });
  await ui.waitFor(/Type your message/, 90_000);
});
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

/** The bottom of the screen: what the UI shows now, not its scrollback. */
const bottom = async (lines = 30) => (await ui.screen()).trimEnd().split('\n').slice(-lines).join('\n');
/** Waits until the bottom of the screen matches `pattern`: that part of the screen. */
async function shows(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await bottom();
    if (pattern.test(now)) return now;
    if (Date.now() > deadline) throw new Error(`The UI never showed ${pattern}:\n${now}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
/** Presses `key` until the bottom of the screen matches `pattern` (three tries: a press can be lost). */
async function pressUntil(key: string, pattern: RegExp): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    await ui.press(key);
    try {
      return await shows(pattern, 5_000);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
/** Closes any dialog (Esc until the message input is back), then `/mcp` → enginy: the server's page. */
async function serverPage(): Promise<string> {
  for (let attempt = 1; !/Type your message/.test(await bottom(8)); attempt++) {
    if (attempt > 6) throw new Error(`A dialog stayed open:\n${await bottom()}`);
    await ui.press('Escape');
    await shows(/Type your message/, 2_000).catch(() => undefined);
  }
  for (let attempt = 1; ; attempt++) {
    // The input is empty while it shows its placeholder.
    if (/Type your message/.test(await bottom(8))) await ui.type('/mcp', false);
    await ui.type('');
    try {
      await shows(/Manage MCP servers/, 15_000);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  return await pressUntil('Enter', /› (Reconnect|View tools)/);
}
/** Authenticate (or Re-authenticate) on the server's page, once the callback port is free. */
async function startAuthenticate(): Promise<void> {
  await waitForFreePort(7777);
  await serverPage();
  await pressUntil('Down', /› Disable/);
  await pressUntil('Down', /› (Re-a|A)uthenticate/);
  await pressUntil('Enter', /OAuth Authentication/);
}
const SUCCEEDED = /Authentication successful\./;
/** What the UI says once it has connected with the new token. */
const CONNECTED_AGAIN = /Discovered \d+ tool\(s\) from 'enginy'\./;
/** Authenticate through the browser: the browser's record, and what the UI said once it succeeded. */
async function signIn() {
  const n = browserRecords(s).length + 1;
  await startAuthenticate();
  const browser = await browserRecord(s, n);
  expect(browser.errorText, browser.pageText).toBeUndefined();
  // It says so once it has stored the token and listed the tools again, for 2 s, then goes back.
  const said = await shows(SUCCEEDED, 60_000);
  return { browser, said };
}
/** `qwen mcp list`: its line for enginy, and all it printed. */
async function mcpList(): Promise<{ status: string; output: string }> {
  const { output } = await cli('mcp', 'list');
  return { status: output.match(/^. enginy: .*$/m)?.[0] ?? output, output };
}
const connected = (status: string) => expect(status).toBe(`✓ enginy: ${mcpUrl()} (http) - Connected`);
const disconnected = (status: string) => expect(status).toBe(`✗ enginy: ${mcpUrl()} (http) - Disconnected`);

interface Stored {
  clientId: string;
  tokenUrl: string;
  token: { accessToken: string; refreshToken: string; expiresAt: number; scope?: string };
}
/** What Qwen stored for enginy (~/.qwen/mcp-oauth-tokens.json), if anything. */
function stored(): Stored | undefined {
  try {
    const entries = JSON.parse(readFileSync(join(s.home, '.qwen', 'mcp-oauth-tokens.json'), 'utf8')) as ({
      serverName: string;
    } & Stored)[];
    return entries.find((entry) => entry.serverName === 'enginy');
  } catch {
    return undefined;
  }
}

const linesSince = async (since: number) => (await labStepsSince(api, since)).map(stepLine);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];
const param = (url: string, name: string) => new URL(url).searchParams.get(name);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl(), 'http://localhost:3001/mcp').replaceAll(issuer(), 'http://localhost:3002');

const seen = recordOf(QWEN_CODE);

describe(`Qwen Code ${cliVersion('qwen')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(QWEN_CODE.version).toBe(cliVersion('qwen'));
  });

  // The file's first sign-in, with 3 s tokens: the next cases act on the token it holds.
  it('challenge-without-scope: asks for the resource metadata’s scopes_supported, and connects', async () => {
    await api.labOn('challenge-without-scope', 'global');
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const { browser } = await signIn();
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(metadata.scopes_supported).toEqual([...READ_SCOPES].sort());
    expect(param(browser.url, 'scope')).toBe(metadata.scopes_supported.join(' '));
    // Listing the tools again with its 3 s token (5 minutes' margin), it refreshes at once.
    expect(await linesSince(since)).toEqual([...SIGN_IN, 'refresh 200']);
    seen('challenge-without-scope', 'unaffected');
  });

  it('expire-access: refreshes before it connects, since its margin is 5 minutes, and stays Connected', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const held = stored()?.token.accessToken;
    const since = Date.now();
    connected((await mcpList()).status);
    expect(await linesSince(since)).toEqual(['refresh 200']);
    expect(stored()?.token.accessToken).not.toBe(held);
    expect(browserRecords(s)).toHaveLength(1);
    seen('expire-access', 'recovers');
  });

  it('refresh-no-grace: two `qwen mcp list` at once refresh with the same token, the grant is revoked, and both are Disconnected', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    // Its token, of 3 s, has expired for it: each list refreshes at the proxy, the issuer.
    expect(stored()?.tokenUrl).toBe(`${issuer()}/token`);
    expect(await api.connections()).toHaveLength(1);
    await api.labOn('refresh-no-grace', 'workspace');
    const since = Date.now();
    // The first refresh waits at the proxy until the second has come: both read the token before any rotation.
    const overlap = proxy.holdRefreshes(2);
    const lists = await Promise.all([mcpList(), mcpList()]);
    const { released, held } = await overlap;
    expect(released).toBe('together');
    expect(held.map((refresh) => refresh.status)).toEqual([200, 400]);
    expect(held[1]?.token).toBe(held[0]?.token);
    const steps = await labStepsSince(api, since);
    expect(steps.map(stepLine)).toEqual(['refresh 200', REFRESH_REFUSED]);
    expect(steps[1]?.description).toBe(REFRESH_REUSED);
    // The reuse revoked the grant with the tokens the first refresh had just issued: the list that got
    // them stored them (warning, as on every save, that the file is unencrypted) and is Disconnected
    // too; the other deleted the stored token and says nothing but Disconnected.
    for (const { status } of lists) disconnected(status);
    const quiet = lists.filter(({ status, output }) => output.trim() === `Configured MCP servers:\n${status}`);
    expect(quiet, lists.map(({ output }) => output).join('\n')).toHaveLength(1);
    expect(lists.find((list) => !quiet.includes(list))?.output).toContain(
      'Warning: MCP OAuth tokens are stored unencrypted at',
    );
    expect(await api.connections()).toEqual([]);

    // The first one's save and the second one's delete race: if the save came last, the next list
    // refreshes with the revoked grant's token, is refused and deletes it. Either way none is left.
    const next = Date.now();
    disconnected((await mcpList()).status);
    expect([[], [REFRESH_REFUSED]]).toContainEqual(await linesSince(next));
    expect(stored()).toBeUndefined();
    expect(seen('refresh-no-grace', 'stops')).toContain(REFRESH_REUSED);

    // Signed in again (tokens of 3 s, as the next cases need) with the grace back.
    await api.labOff('refresh-no-grace');
    const again = Date.now();
    await signIn();
    expect(await linesSince(again)).toEqual([...SIGN_IN, 'refresh 200']);
  });

  it('step-up: no new authorization; it takes the 403 for a lost connection and does not repeat the call', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const runs = browserRecords(s).length;
    const before = model.requests.length;
    const since = Date.now();
    const asked = await cli('--auth-type', 'openai', '--yolo', 'Create the contact Ada Lovelace.');
    expect(asked.code, asked.output).toBe(0);
    // What the tool call answered, as Qwen handed it to the model.
    const said =
      'MCP tool execution may have completed before the connection failed. Automatic replay was skipped because the call could not be verified as safe to replay. Do not retry automatically; verify the outcome before trying again.';
    expect(toolResults(model.requests.slice(before), 'create_contact')).toEqual([said]);
    expect(seen('step-up', 'stops')).toContain(said);
    // No browser, no /authorize: a refresh to connect, and one more to connect again after the 403.
    expect(browserRecords(s)).toHaveLength(runs);
    expect(await linesSince(since)).toEqual(['refresh 200', 'refresh 200']);
    expect(stored()?.token.scope?.split(' ')).not.toContain('CONTACTS_WRITE');
  });

  it('forget-client: its refresh is refused, it drops its token and is Disconnected; Authenticate registers again', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const forgotten = stored()?.clientId;
    expect(forgotten).toBeDefined();
    await api.labOn('forget-client', 'global');
    const since = Date.now();
    const { status, output } = await mcpList();
    disconnected(status);
    // Not a word of why.
    expect(output.trim()).toBe(`Configured MCP servers:\n${status}`);
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client']);
    expect(stored()).toBeUndefined();

    const again = Date.now();
    const { browser } = await signIn();
    expect(param(browser.url, 'client_id')).not.toBe(forgotten);
    expect(await linesSince(again)).toEqual([...SIGN_IN, 'refresh 200']);
    seen('forget-client', 'stops');
  });

  it('token-unavailable: one refresh answered 503 and it drops its token, no retry after Retry-After', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    expect(stored()).toBeDefined();
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const since = Date.now();
    disconnected((await mcpList()).status);
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(stored()).toBeUndefined();
    seen('token-unavailable', 'stops');
  });

  it('iss-mismatch: ignores the wrong iss, redeems the code and connects', async () => {
    await api.labOn('iss-mismatch', 'global');
    // Tokens of 3 s, so that the one it holds afterwards needs a refresh (issuer-moved).
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const { browser, said } = await signIn();
    const wrong = `${issuer()}/failure-lab-wrong-issuer`;
    expect(param(browser.callback ?? '', 'iss')).toBe(wrong);
    expect(said).toMatch(CONNECTED_AGAIN);
    expect(await linesSince(since)).toEqual([...SIGN_IN, 'refresh 200']);
    expect(stored()).toBeDefined();
    expect(seen('iss-mismatch', 'proceeds')).toContain(asQuoted(wrong));
  });

  it('issuer-moved: signed in before, it refreshes at the old issuer; a new Authenticate follows the move to /v2', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('issuer-moved', 'global');
    const moved = Date.now();
    connected((await mcpList()).status);
    // A refresh of the old issuer's token: /v2 would refuse its client, so it went to the old issuer.
    const refreshed = await labStepsSince(api, moved);
    expect(refreshed.map(stepLine)).toEqual(['refresh 200']);
    expect(refreshed[0]?.scenarios).toContain('issuer-moved');
    expect(stored()?.tokenUrl).toBe(`${issuer()}/token`);

    const fresh = Date.now();
    const { browser } = await signIn();
    const url = new URL(browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(param(browser.callback ?? '', 'iss')).toBe(`${issuer()}/v2`);
    expect(await linesSince(fresh)).toEqual([...SIGN_IN, 'refresh 200']);
    expect(stored()?.tokenUrl).toBe(`${issuer()}/v2/token`);
    expect(seen('issuer-moved', 'unaffected')).toContain(`${asQuoted(issuer())}/v2/authorize`);
  });

  it('resource-mismatch: uses the metadata all the same, signs in and connects', async () => {
    await api.labOn('resource-mismatch', 'global');
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      resource: string;
    };
    expect(metadata.resource).toBe(`${mcpUrl()}/`);
    const since = Date.now();
    const { browser, said } = await signIn();
    expect(param(browser.url, 'resource')).toBe(mcpUrl());
    expect(said).toMatch(CONNECTED_AGAIN);
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(seen('resource-mismatch', 'proceeds')).toContain(asQuoted(metadata.resource));
  });

  it('no-dcr: Authenticate stops at once, naming the missing registration', async () => {
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const runs = browserRecords(s).length;
    await startAuthenticate();
    const said = 'No client ID provided and dynamic registration not supported';
    await shows(new RegExp(said), 30_000);
    expect(browserRecords(s)).toHaveLength(runs);
    expect(await linesSince(since)).toEqual([]);
    // It failed before starting its callback listener.
    await waitForFreePort(7777, 2_000);
    expect(seen('no-dcr', 'stops')).toContain(said);
  });
});
