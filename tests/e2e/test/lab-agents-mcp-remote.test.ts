// What mcp-remote really does with each failure-lab scenario switched on: spawned as a host spawns it
// (src/mcp-remote-host.ts, a fresh login directory each time), it connects and calls a tool while the
// scenario is on, switched through the console's failure-lab API. What it sent is read back from the
// console's Flows view, what it said from its log and from the MCP error its client got. Every
// assertion is an observation: packages/config/src/failure-lab-agents/mcp-remote.ts states the same,
// and an mcp-remote version that behaves otherwise fails here.
// Once seen now and then: mcp-remote logged "Connected to remote server" and never "Local STDIO server
// running", so its client's initialize timed out (or, after a re-authorization, the call did). The
// cause was the harness: it intercepted the callback in Chromium and delivered it with fetch, while
// Chromium had already opened a connection to mcp-remote's :3118 for it, which stayed open and silent.
// mcp-remote awaits its callback listener's close() before it starts its stdio side, and on Node 20
// close() never ends while such a connection is open. Chromium now requests the callback itself, on
// that connection, as a person's browser does (src/mcp-remote-host.ts); the awaited close() is
// mcp-remote's, and a browser that opened a connection to :3118 and never used it would hold it too.
import { MCP_REMOTE } from '@enginy/config/failure-lab-agents/mcp-remote';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../src/console-api.ts';
import { MCP_REMOTE_VERSION, McpRemoteHost } from '../src/mcp-remote-host.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { labStepsSince, recordOf, stepLine } from '../src/lab-steps.ts';
import { useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
let api: ConsoleClient;
let mcpUrl: string;
let issuer: string;
const running: McpRemoteHost[] = [];

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  mcpUrl = e2e.stack.config.openapi.mcpUrl;
  issuer = e2e.stack.config.auth.issuer;
});
afterEach(async (context) => {
  for (const host of running.splice(0)) {
    // biome-ignore lint/suspicious/noConsole: on failure, mcp-remote's own log says what it was doing.
    if (context.task.result?.state === 'fail') console.log(`mcp-remote said:\n${host.log.slice(-4000)}`);
    await host.close().catch(() => undefined);
    host.dispose();
  }
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});

/** A new mcp-remote with a login of its own, once the callback port is free. */
async function host(): Promise<McpRemoteHost> {
  await freeCallbackPort();
  const started = new McpRemoteHost(mcpUrl, e2e.browser);
  running.push(started);
  return started;
}

const stepsSince = (since: number) => labStepsSince(api, since);
const line = stepLine;
const linesSince = async (since: number) => (await stepsSince(since)).map(line);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

async function failure(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('mcp-remote did not fail');
}
/** Resolves once the last access token issued since `since` has outlived its 3 s. */
async function lastTokenExpired(since: number): Promise<void> {
  const issued = (await stepsSince(since)).filter(
    (step) => (step.step === 'token' || step.step === 'refresh') && step.status === 200,
  );
  const left = Date.parse(issued.at(-1)?.at ?? '') + 3_000 + 250 - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
const whoamiOk = async (h: McpRemoteHost) => expect((await h.call('mcp_whoami')).isError).toBeFalsy();

const seen = recordOf(MCP_REMOTE);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl, 'http://localhost:3001/mcp').replaceAll(issuer, 'http://localhost:3002');
const scopesOf = (url: string) => new URL(url).searchParams.get('scope');

describe(`mcp-remote ${MCP_REMOTE_VERSION} under each failure-lab scenario`, () => {
  it('the record is of the version installed', () => {
    expect(MCP_REMOTE.version).toBe(MCP_REMOTE_VERSION);
  });

  it('expire-access: refreshes ahead of expiry on every request within its 60 s margin; no new sign-in', async () => {
    const since = Date.now();
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    await whoamiOk(h);
    expect(h.visits).toHaveLength(1);
    const steps = await linesSince(since);
    expect(steps.slice(0, 5)).toEqual(SIGN_IN);
    // Refreshed ahead of expiry, never refused: no 401 reached it, so it never refreshed after one.
    expect(steps.length).toBeGreaterThan(5);
    expect(new Set(steps.slice(5))).toEqual(new Set(['refresh 200']));
    expect(h.log).toContain('Refreshed the access token before it expired');
    seen('expire-access', 'recovers');
  });

  it('step-up: authorizes again for what it held plus the challenged scope, and the call succeeds', async () => {
    const since = Date.now();
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const created = await h.call('create_contact', {
      body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' },
    });
    expect(created.isError).toBeFalsy();
    expect(h.visits).toHaveLength(2);
    // What it held (as it sent it, sorted) and then the challenged scope.
    const union = [...[...READ_SCOPES].sort(), 'CONTACTS_WRITE'].join(' ');
    expect(scopesOf(h.openedUrls[1] as string)).toBe(union);
    expect(h.log).toContain(`Authorizing with the scope the server asked for: ${union}`);
    await expect.poll(() => linesSince(since)).toEqual([...SIGN_IN, ...SIGN_IN.slice(1)]);
    seen('step-up', 'authorizes-again');
  });

  it('forget-client: its refresh is refused, it registers again and sends the person to sign in', async () => {
    const since = Date.now();
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    const firstClient = new URL(h.openedUrls[0] as string).searchParams.get('client_id');
    await api.labOn('forget-client', 'global');
    // While its access token lives, a refused refresh falls back to it; after, the 401 decides.
    await lastTokenExpired(since);
    await whoamiOk(h);
    expect(h.visits).toHaveLength(2);
    const secondClient = new URL(h.openedUrls[1] as string).searchParams.get('client_id');
    expect(secondClient).not.toBe(firstClient);
    expect(h.log).toContain('Proactive token refresh failed, falling back to the stored token');
    const steps = await linesSince(since);
    const registeredAgain = steps.lastIndexOf('register 201');
    expect(registeredAgain).toBeGreaterThan(0);
    expect(steps.slice(registeredAgain - 1, registeredAgain + 5)).toEqual(['refresh 401 invalid_client', ...SIGN_IN]);
    seen('forget-client', 'authorizes-again');
  });

  it('no-dcr: exits at once naming the missing registration; its client sees the connection close', async () => {
    await api.labOn('no-dcr', 'global');
    const h = await host();
    expect(await failure(() => h.connect())).toBe('MCP error -32000: Connection closed');
    expect(h.openedUrls).toEqual([]);
    const said = 'Fatal error: Error: Incompatible auth server: does not support dynamic client registration';
    expect(h.log).toContain(said);
    expect(seen('no-dcr', 'stops')).toContain(said);
  });

  it('iss-mismatch: refuses the authorization response and exits before redeeming the code', async () => {
    const since = Date.now();
    await api.labOn('iss-mismatch', 'global');
    const h = await host();
    expect(await failure(() => h.connect())).toBe('MCP error -32000: Connection closed');
    expect(h.visits).toHaveLength(1);
    const said = `Fatal error: IssuerMismatchError: Issuer mismatch in authorization response (RFC 9207): expected "${issuer}", received "${issuer}/failure-lab-wrong-issuer"`;
    expect(h.log).toContain(said);
    expect(await linesSince(since)).toEqual(SIGN_IN.slice(0, 4));
    expect(seen('iss-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('token-unavailable: spends all three 503s at once, without waiting for Retry-After, and fails the call', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    const since = Date.now();
    await api.labOn('token-unavailable', 'global', { count: 3 });
    await lastTokenExpired(0);
    const message = await failure(() => h.call('mcp_whoami'));
    expect(message).toBe(
      'MCP error -32001: mcp-remote: The token endpoint is unavailable (failure lab: token-unavailable); try again shortly',
    );
    expect(await linesSince(since)).toEqual(Array(3).fill('refresh 503 temporarily_unavailable'));
    expect((await api.lab()).find((s) => s.name === 'token-unavailable')?.state?.remaining).toBe(0);
    expect(h.visits).toHaveLength(1);
    expect(seen('token-unavailable', 'stops')).toContain(message);
  });

  it('resource-mismatch: refuses the metadata and exits before registering', async () => {
    const since = Date.now();
    await api.labOn('resource-mismatch', 'global');
    const h = await host();
    expect(await failure(() => h.connect())).toBe('MCP error -32000: Connection closed');
    const said = `Fatal error: Error: Protected resource ${mcpUrl}/ does not match expected ${mcpUrl} (or origin)`;
    expect(h.log).toContain(said);
    expect(h.openedUrls).toEqual([]);
    expect(await linesSince(since)).toEqual([]);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('refresh-no-grace: two calls at once after expiry, its refreshes never reuse a token', async () => {
    const since = Date.now();
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    await api.labOn('refresh-no-grace', 'workspace');
    await Promise.all([whoamiOk(h), whoamiOk(h)]);
    await whoamiOk(h);
    expect(h.visits).toHaveLength(1);
    const steps = await linesSince(since);
    expect(steps.slice(0, 5)).toEqual(SIGN_IN);
    expect(new Set(steps.slice(5))).toEqual(new Set(['refresh 200']));
    seen('refresh-no-grace', 'unaffected');
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported and connects', async () => {
    const since = Date.now();
    await api.labOn('challenge-without-scope', 'global');
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl))).json()) as {
      scopes_supported: string[];
    };
    expect(scopesOf(h.openedUrls[0] as string)).toBe(metadata.scopes_supported.join(' '));
    expect(await linesSince(since)).toEqual(SIGN_IN);
    seen('challenge-without-scope', 'unaffected');
  });

  it('issuer-moved: signed in before, it keeps refreshing at the old issuer; a new login follows the move to /v2', async () => {
    const since = Date.now();
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const before = await host();
    await before.connect();
    await whoamiOk(before);
    await api.labOn('issuer-moved', 'global');
    const moved = Date.now();
    await lastTokenExpired(since);
    await whoamiOk(before);
    expect(before.visits).toHaveLength(1);
    // Refreshes of the old issuer's token: /v2 would refuse them, so each went to the old issuer.
    const after = await stepsSince(moved);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map(line))).toEqual(new Set(['refresh 200']));
    expect(after.every((step) => step.scenarios.includes('issuer-moved'))).toBe(true);
    expect(before.log).toContain('Refreshed the access token before it expired');
    expect(before.log).not.toContain('/v2');

    const fresh = Date.now();
    const h = await host();
    await h.connect();
    await whoamiOk(h);
    const url = new URL(h.openedUrls[0] as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/v2/authorize`);
    expect((await linesSince(fresh)).slice(0, 5)).toEqual(SIGN_IN);
    seen('issuer-moved', 'unaffected');
  });
});
