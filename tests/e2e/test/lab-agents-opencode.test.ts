// What the real opencode CLI does with each failure-lab scenario switched on, driven offline as in
// real-client-opencode.test.ts: the server in opencode.json (its fixed redirect URI allowlisted),
// `opencode mcp auth` through the browser ($BROWSER approves in Chromium), `opencode mcp list` to
// connect, and `opencode run` with a stand-in model to call a tool. One HOME throughout: a sign-in
// is shared by the scenarios that act on a held token, and `opencode mcp logout` empties the store
// before those that act on a sign-in. Each scenario is switched through the console's failure-lab
// API; what opencode sent is read back from the console's Flows view. Every assertion is an
// observation: packages/config/src/failure-lab-agents/opencode.ts states the same, and an opencode
// version that behaves otherwise fails here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { OPENCODE } from '@enginy/config/failure-lab-agents/opencode';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserRecords, cliCommand, cliVersion, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { type AnthropicStandIn, startAnthropicStandIn } from '../src/anthropic-model-server.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { labStepsSince, recordOf, stepLine } from '../src/lab-steps.ts';
import { useStack } from '../src/stack-fixture.ts';

const OPENCODE_REDIRECT_URI = 'http://127.0.0.1:19876/mcp/oauth/callback';
const e2e = useStack();
const opencode = cliCommand('opencode');
const s = scratch('opencode');
const cli = (...args: string[]) => run([...opencode, ...args], { cwd: s.project, env: s.env, timeoutMs: 120_000 });
let api: ConsoleClient;
let model: AnthropicStandIn;
const contact = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  const { allowedRedirectUris } = await api.settings();
  await api.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, OPENCODE_REDIRECT_URI] });
  model = await startAnthropicStandIn('create_contact', { body: contact });
  // The stand-in model through opencode's bundled Anthropic provider; every tool allowed, as `run` asks no one.
  const config = {
    mcp: { enginy: { type: 'remote', url: e2e.stack.config.openapi.mcpUrl } },
    provider: {
      standin: {
        npm: '@ai-sdk/anthropic',
        name: 'Stand-in',
        options: { baseURL: `${model.url}/v1`, apiKey: 'stand-in' },
        models: { 'stand-in': { name: 'stand-in', tool_call: true } },
      },
    },
    model: 'standin/stand-in',
    small_model: 'standin/stand-in',
    permission: { '*': 'allow' },
  };
  writeFileSync(join(s.project, 'opencode.json'), JSON.stringify(config, null, 2));
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(async () => {
  await model?.close();
  s.remove();
});

/** `opencode mcp auth enginy`, the browser approving: what the browser and opencode saw. */
async function login() {
  await waitForFreePort(19876);
  return await loginThroughBrowser(s, [...opencode, 'mcp', 'auth', 'enginy'], browserRecords(s).length + 1);
}
/** A login that ends without opening a browser: what opencode printed. */
async function refusedLogin(): Promise<string> {
  const opened = browserRecords(s).length;
  const refused = await cli('mcp', 'auth', 'enginy');
  expect(browserRecords(s)).toHaveLength(opened);
  return stripVTControlCharacters(refused.output);
}
/** `opencode mcp list`, colours stripped. */
async function list(): Promise<string> {
  return stripVTControlCharacters((await cli('mcp', 'list')).output);
}
const FAILED_405 = /✗ enginy failed\n│\s+SSE error: Non-200 status code \(405\)/;

/** opencode's OAuth store, ~/.local/share/opencode/mcp-auth.json. */
interface Stored {
  tokens?: { accessToken: string; refreshToken: string; expiresAt: number };
  clientInfo?: { clientId: string };
}
function stored(): Stored {
  const store = JSON.parse(readFileSync(join(s.home, '.local', 'share', 'opencode', 'mcp-auth.json'), 'utf8')) as {
    enginy?: Stored;
  };
  return store.enginy ?? {};
}
/** Resolves once the access token opencode stored has expired (expiresAt is in seconds). */
async function storedTokenExpired(): Promise<void> {
  const expiresAt = stored().tokens?.expiresAt;
  if (expiresAt === undefined) throw new Error('opencode stored no token for enginy');
  const left = expiresAt * 1000 - Date.now() + 250;
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
async function logout(): Promise<void> {
  const out = await cli('mcp', 'logout', 'enginy');
  expect(stripVTControlCharacters(out.output)).toContain('Removed OAuth credentials for enginy');
}

/** What opencode sent since `since`, one line a step, from the Flows view. */
const linesSince = async (since: number) => (await labStepsSince(api, since)).map(stepLine);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl(), 'http://localhost:3001/mcp').replaceAll(issuer(), 'http://localhost:3002');
const param = (url: string, name: string) => new URL(url).searchParams.get(name);

const seen = recordOf(OPENCODE);

describe(`opencode ${cliVersion('opencode')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(OPENCODE.version).toBe(cliVersion('opencode'));
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported and signs in', async () => {
    await api.labOn('challenge-without-scope', 'global');
    // The sign-in the next scenarios share: its tokens live 3 s (the 401 challenge is the same).
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const signedIn = await login();
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    expect(stripVTControlCharacters(signedIn.cli.output)).toContain('Authentication successful!');
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(metadata.scopes_supported).toEqual([...READ_SCOPES].sort());
    expect(param(signedIn.browser.url, 'scope')).toBe(metadata.scopes_supported.join(' '));
    // (`opencode mcp auth` connects once signed in: on a slow machine its 3 s token may already need a refresh.)
    const steps = await linesSince(since);
    expect(steps.slice(0, SIGN_IN.length)).toEqual(SIGN_IN);
    expect(steps.slice(SIGN_IN.length).filter((step) => step !== 'refresh 200')).toEqual([]);
    seen('challenge-without-scope', 'unaffected');
  });

  it('expire-access: refreshes when `opencode mcp list` finds the token expired, and connects', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const first = stored().tokens?.accessToken;
    await storedTokenExpired();
    const since = Date.now();
    expect(await list()).toContain('✓ enginy connected');
    expect(stored().tokens?.accessToken).not.toBe(first);
    const steps = await linesSince(since);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps)).toEqual(new Set(['refresh 200']));
    expect(browserRecords(s)).toHaveLength(1);
    seen('expire-access', 'recovers');
  });

  it('refresh-no-grace: one `opencode mcp list` refreshes with the token it stored last, never reusing one', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('refresh-no-grace', 'workspace');
    await storedTokenExpired();
    const since = Date.now();
    expect(await list()).toContain('✓ enginy connected');
    const steps = await labStepsSince(api, since);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps.map(stepLine))).toEqual(new Set(['refresh 200']));
    expect(steps.every((step) => step.scenarios.includes('refresh-no-grace'))).toBe(true);
    seen('refresh-no-grace', 'unaffected');
  });

  it('token-unavailable: tries the refresh once, fails to connect, and keeps its refresh token', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const held = stored().tokens?.refreshToken;
    await storedTokenExpired();
    const since = Date.now();
    expect(await list()).toMatch(FAILED_405);
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(stored().tokens?.refreshToken).toBe(held);
    expect(seen('token-unavailable', 'stops')).toContain('SSE error: Non-200 status code (405)');
  });

  it('forget-client: its refresh is refused, it registers again in the same run, and signs in with the new client', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('forget-client', 'global');
    const forgotten = stored().clientInfo?.clientId;
    await storedTokenExpired();
    const since = Date.now();
    expect(await list()).toContain('⚠ enginy needs authentication');
    // Registered already: a new client in its store (the Flows view shows the registration once
    // that client has authorized in the workspace).
    const registered = stored().clientInfo?.clientId;
    expect(registered).toBeDefined();
    expect(registered).not.toBe(forgotten);
    expect(stored().tokens).toBeUndefined();

    // Signing in with tokens that live, so that none needs a refresh within this test.
    await api.labOff('expire-access');
    const signedIn = await login();
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    expect(param(signedIn.browser.url, 'client_id')).toBe(registered);
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client', ...SIGN_IN]);
    expect(await list()).toContain('✓ enginy connected');
    seen('forget-client', 'authorizes-again');
  });

  it('step-up: "upscopes" with a refresh, gets the same 403 and fails the call; no browser, still connected', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    // Tokens of 3 s from here, so that the one it holds afterwards expires soon (issuer-moved needs that).
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const opened = browserRecords(s).length;
    const since = Date.now();
    const asked = await cli('run', 'Create the contact Ada Lovelace.');
    expect(asked.code, asked.output).toBe(0);
    const said = 'Streamable HTTP error: Server returned 403 after trying upscoping';
    // What the tool call answered, as opencode handed it to the model, and what it printed.
    expect(model.toolResults()).toEqual([said]);
    expect(stripVTControlCharacters(asked.output)).toContain(`Error: ${said}`);
    expect(seen('step-up', 'stops')).toContain(said);
    // Only refreshes reached the authorization server, none asking for more: no browser, no /authorize.
    expect(browserRecords(s)).toHaveLength(opened);
    const steps = await labStepsSince(api, since);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps.map(stepLine))).toEqual(new Set(['refresh 200']));
    expect(steps.map((step) => step.sent.scope)).toEqual(steps.map(() => undefined));
    expect(await list()).toContain('✓ enginy connected');
  });

  it('issuer-moved: its refresh goes to the new issuer, which refuses it; it registers there and signs in there', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('issuer-moved', 'global');
    const oldClient = stored().clientInfo?.clientId;
    await storedTokenExpired();
    const since = Date.now();
    expect(await list()).toContain('⚠ enginy needs authentication');
    const refused = await labStepsSince(api, since);
    expect(refused.map(stepLine)).toEqual(['refresh 401 invalid_client']);
    expect(refused[0]?.description).toBe(`Unknown client_id ${oldClient} at this issuer; register the client again`);
    const registered = stored().clientInfo?.clientId;
    expect(registered).toBeDefined();
    expect(registered).not.toBe(oldClient);

    await api.labOff('expire-access');
    const signedIn = await login();
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    const url = new URL(signedIn.browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(registered);
    expect(param(signedIn.browser.callback ?? '', 'iss')).toBe(`${issuer()}/v2`);
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client', ...SIGN_IN]);
    expect(await list()).toContain('✓ enginy connected');
    expect(seen('issuer-moved', 'authorizes-again')).toContain(`${asQuoted(issuer())}/v2/authorize`);
  });

  it('iss-mismatch: ignores the wrong iss, redeems the code and connects', async () => {
    await logout();
    await api.labOn('iss-mismatch', 'global');
    const since = Date.now();
    const signedIn = await login();
    const wrong = `${issuer()}/failure-lab-wrong-issuer`;
    expect(param(signedIn.browser.callback ?? '', 'iss')).toBe(wrong);
    expect(stripVTControlCharacters(signedIn.cli.output)).toContain('Authentication successful!');
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(await list()).toContain('✓ enginy connected');
    expect(seen('iss-mismatch', 'proceeds')).toContain(asQuoted(wrong));
  });

  it('no-dcr: opens no browser and says the server does not support dynamic registration', async () => {
    await logout();
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const said = 'Incompatible auth server: does not support dynamic client registration';
    const refused = await refusedLogin();
    expect(refused).toContain('Authentication failed');
    expect(refused).toContain(said);
    expect(await list()).toMatch(FAILED_405);
    expect(await linesSince(since)).toEqual([]);
    expect(seen('no-dcr', 'stops')).toContain(said);
  });

  it('resource-mismatch: refuses the metadata before registering', async () => {
    await api.labOn('resource-mismatch', 'global');
    const since = Date.now();
    const said = `Protected resource ${mcpUrl()}/ does not match expected ${mcpUrl()} (or origin)`;
    expect(await refusedLogin()).toContain(said);
    expect(await list()).toMatch(FAILED_405);
    expect(await linesSince(since)).toEqual([]);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });
});
