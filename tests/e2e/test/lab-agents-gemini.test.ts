// What the real Gemini CLI does with failure-lab scenarios switched on, driven offline as in
// real-client-gemini.test.ts (src/gemini-ui.ts): `/mcp auth enginy` in its interactive UI, the
// browser approving in Chromium, `gemini mcp list`, which connects with the token Gemini stored, and
// `gemini -p --yolo` with a stand-in for the Gemini API to call a tool.
// One UI and one scratch HOME for the whole file: a case signs in again only where the scenario
// needs it (Gemini drops its stored token when a refresh fails). Each scenario is switched through
// the console's failure-lab API; what Gemini sent is read back from the console's Flows view. Every
// assertion is an observation: packages/config/src/failure-lab-agents/gemini.ts states the same,
// and a Gemini CLI version that behaves otherwise fails here.
import { CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import { GEMINI } from '@enginy/config/failure-lab-agents/gemini';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserRecords, cliVersion, run } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { startGeminiStandIn } from '../src/gemini-model-server.ts';
import { GEMINI_REDIRECT_URI, GeminiCli } from '../src/gemini-ui.ts';
import { labStepsSince, REFRESH_REFUSED, REFRESH_REUSED, recordOf, stepLine } from '../src/lab-steps.ts';
import { useStack } from '../src/stack-fixture.ts';

const e2e = useStack();
const gemini = new GeminiCli();
let api: ConsoleClient;

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  const added = await gemini.add(e2e.stack.config.openapi.mcpUrl);
  expect(added.output).toContain('MCP server "enginy" added to project settings');
  const { allowedRedirectUris } = await api.settings();
  await api.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, GEMINI_REDIRECT_URI] });
  await gemini.start(true);
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(() => gemini.close());

const linesSince = async (since: number) => (await labStepsSince(api, since)).map(stepLine);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

const AUTHENTICATED = /Successfully authenticated and reloaded tools for 'enginy'/;
/** `/mcp auth enginy` through the browser, waiting for the UI to say it reloaded the server's tools. */
async function signIn() {
  const times = (await gemini.count(AUTHENTICATED)) + 1;
  const browser = await gemini.authInBrowser();
  expect(browser.errorText, browser.pageText).toBeUndefined();
  await gemini.waitFor(AUTHENTICATED, times, 60_000);
  return browser;
}
/**
 * `/mcp auth enginy` up to the line saying why it failed: that line. `browser`: it gets as far as
 * asking to continue and opening the browser first.
 */
async function authFails(browser: boolean): Promise<string> {
  const failed = /✕ Failed to authenticate with MCP server 'enginy': .*$/;
  const times = (await gemini.count(failed)) + 1;
  if (browser) {
    await gemini.auth();
    await gemini.waitFor(failed, times, 60_000);
  } else await gemini.slashCommand('/mcp auth enginy', failed, times);
  return ((await gemini.ui.screen()).match(new RegExp(failed.source, 'gm')) ?? []).at(-1)?.slice(2) ?? '';
}
/** `gemini mcp list`: its line for enginy, and all it printed. */
async function mcpList(): Promise<{ status: string; output: string }> {
  const { output } = await gemini.run('mcp', 'list');
  return { status: output.match(/^. enginy: .*$/m)?.[0] ?? output, output };
}
const connected = (status: string) => expect(status).toMatch(/^✓ enginy: .* - Connected$/);
const disconnected = (status: string) => expect(status).toMatch(/^✗ enginy: .* - Disconnected$/);
const clientOf = (url: string) => new URL(url).searchParams.get('client_id');

const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message
    .replaceAll(mcpUrl(), 'http://localhost:3001/mcp')
    .replaceAll(e2e.stack.config.auth.issuer, 'http://localhost:3002');

const seen = recordOf(GEMINI);

describe(`Gemini CLI ${cliVersion('gemini')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(GEMINI.version).toBe(cliVersion('gemini'));
  });

  // The file's first sign-in, with 3 s tokens so that the next cases see refreshes.
  it('challenge-without-scope: asks for the authorization server metadata’s scopes_supported, as it does anyway', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('challenge-without-scope', 'global');
    const since = Date.now();
    const browser = await signIn();
    const metadata = (await (
      await fetch(`${e2e.stack.config.auth.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as {
      scopes_supported: string[];
    };
    expect(new URL(browser.url).searchParams.get('scope')).toBe(metadata.scopes_supported.join(' '));
    const steps = await linesSince(since);
    expect(steps.slice(0, 5)).toEqual(SIGN_IN);
    expect(new Set(steps.slice(5))).toEqual(new Set(['refresh 200']));
    seen('challenge-without-scope', 'unaffected');
  });

  it('step-up: no new authorization; the tool call fails with what /register answered its attempt to register without a redirect URI', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const body = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };
    const model = await startGeminiStandIn('create_contact', { body });
    const since = Date.now();
    const runs = browserRecords(gemini.s).length;
    try {
      const asked = await run([...gemini.command, '-p', 'Create the contact Ada Lovelace.', '--yolo'], {
        cwd: gemini.s.project,
        env: { ...gemini.env, GOOGLE_GEMINI_BASE_URL: model.url },
        timeoutMs: 120_000,
      });
      expect(asked.code, asked.output).toBe(0);
      expect(asked.output).toContain(
        "Error executing tool mcp_enginy_create_contact: Error: MCP tool 'create_contact' reported an error.",
      );
      // What the tool call answered, as Gemini handed it to the model: the registration endpoint's
      // refusal of a client with no redirect URI (its SDK's answer to the 403 is to register anew).
      expect(model.toolResults()).toHaveLength(1);
      const said = 'redirect_uris must list at least one URI';
      expect(JSON.parse(model.toolResults()[0] ?? '{}').error).toContain(
        `with response: [{"functionResponse":{"name":"create_contact","response":{"error":{"message":"${said}","isError":true}}}}]`,
      );
      expect(seen('step-up', 'stops')).toContain(said);
    } finally {
      await model.close();
    }
    // No browser, no /authorize, no token for the new scope: only its refreshes reached /token.
    expect(browserRecords(gemini.s)).toHaveLength(runs);
    expect(new Set(await linesSince(since))).toEqual(new Set(['refresh 200']));
    expect(gemini.storedToken()?.token.scope?.split(' ')).not.toContain('CONTACTS_WRITE');
  });

  it('expire-access: refreshes before every request (its margin is 5 minutes), and stays Connected', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const { status } = await mcpList();
    connected(status);
    const steps = await linesSince(since);
    // Each of its requests (initialize, the initialized notification, the GET stream, ping) refreshes first.
    expect(steps.length).toBeGreaterThan(1);
    expect(new Set(steps)).toEqual(new Set(['refresh 200']));
    expect((gemini.storedToken()?.token.expiresAt ?? 0) - Date.now()).toBeLessThanOrEqual(3_000);
    seen('expire-access', 'recovers');
  });

  it('refresh-no-grace: two requests of one `gemini mcp list` refresh with the same token, the grant is revoked, and the next list is Disconnected', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    expect(gemini.storedToken()).toBeDefined();
    await api.labOn('refresh-no-grace', 'global');
    // It refreshes before each of its requests, each on its own, so two holding the same token at once
    // is a race: the first list ran into it in each of the 6 runs measured, but not in every run
    // before. Up to three lists, then.
    const since = Date.now();
    let list = await mcpList();
    for (let more = 2; more > 0 && !(await linesSince(since)).includes(REFRESH_REFUSED); more--) list = await mcpList();
    const steps = await labStepsSince(api, since);
    const reused = steps.findIndex((step) => stepLine(step) === REFRESH_REFUSED);
    expect(reused, steps.map(stepLine).join('\n')).toBeGreaterThan(0);
    expect(new Set(steps.slice(0, reused).map(stepLine))).toEqual(new Set(['refresh 200']));
    expect(steps[reused]?.description).toBe(REFRESH_REUSED);
    // That list had connected with the refreshes before, and says so.
    connected(list.status);
    expect(list.output).toContain('Failed to refresh auth token.');

    // The grant is gone: the next list either refreshes and is refused, or has dropped the token already.
    const next = Date.now();
    const after = await mcpList();
    disconnected(after.status);
    expect(gemini.storedToken()).toBeUndefined();
    const refused = await linesSince(next);
    expect(
      refused.every((line) => line === REFRESH_REFUSED),
      refused.join('\n'),
    ).toBe(true);
    seen('refresh-no-grace', 'stops');

    // Signed in again with the grace back: with it off, reloading the tools would race once more.
    await api.labOff('refresh-no-grace');
    const again = Date.now();
    await signIn();
    expect((await linesSince(again)).slice(0, 5)).toEqual(SIGN_IN);
  });

  it('forget-client: its refresh is refused, it drops its token and is Disconnected; /mcp auth registers again', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const oldClient = gemini.storedToken()?.clientId;
    expect(oldClient).toBeDefined();
    await api.labOn('forget-client', 'global');
    const since = Date.now();
    const { status, output } = await mcpList();
    disconnected(status);
    expect(output).toContain('Failed to refresh auth token.');
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client']);
    expect(gemini.storedToken()).toBeUndefined();

    const again = Date.now();
    const browser = await signIn();
    expect(clientOf(browser.url)).not.toBe(oldClient);
    expect((await linesSince(again)).slice(0, 5)).toEqual(SIGN_IN);
    seen('forget-client', 'stops');
  });

  it('token-unavailable: one refresh answered 503 and it drops its token, no retry after Retry-After', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    expect(gemini.storedToken()).toBeDefined();
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const since = Date.now();
    const { status, output } = await mcpList();
    disconnected(status);
    expect(output).toContain('Failed to refresh auth token.');
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((s) => s.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(gemini.storedToken()).toBeUndefined();
    seen('token-unavailable', 'stops');
  });

  it('iss-mismatch: refuses the authorization response, redeems nothing, and says why', async () => {
    await api.labOn('iss-mismatch', 'global');
    const since = Date.now();
    const said = await authFails(true);
    expect(said).toBe(
      "Failed to authenticate with MCP server 'enginy': Issuer mismatch in authorization response - possible OAuth mix-up attack",
    );
    const browser = await gemini.lastBrowserRun();
    expect(browser.callback, JSON.stringify(browser)).toBeDefined();
    expect(new URL(browser.callback ?? '').searchParams.get('iss')).toBe(
      `${e2e.stack.config.auth.issuer}/failure-lab-wrong-issuer`,
    );
    expect(await linesSince(since)).toEqual(SIGN_IN.slice(0, 4));
    expect(gemini.storedToken()).toBeUndefined();
    expect(seen('iss-mismatch', 'stops')).toContain(said);
  });

  it('resource-mismatch: refuses the metadata before registering', async () => {
    await api.labOn('resource-mismatch', 'global');
    const since = Date.now();
    const runs = browserRecords(gemini.s).length;
    const said = await authFails(false);
    expect(said).toBe(
      `Failed to authenticate with MCP server 'enginy': Protected resource ${mcpUrl()}/ does not match expected ${mcpUrl()}`,
    );
    expect(browserRecords(gemini.s)).toHaveLength(runs);
    expect(await linesSince(since)).toEqual([]);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('issuer-moved: signs in at the issuer the resource metadata names, registering there', async () => {
    await api.labOn('issuer-moved', 'global');
    const since = Date.now();
    const browser = await signIn();
    const url = new URL(browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${e2e.stack.config.auth.issuer}/v2/authorize`);
    expect(new URL(browser.callback ?? '').searchParams.get('iss')).toBe(`${e2e.stack.config.auth.issuer}/v2`);
    // Registered at /v2: the moved issuer refuses the old one's clients (invalid_client).
    expect((await linesSince(since)).slice(0, 5)).toEqual(SIGN_IN);
    connected((await mcpList()).status);
    seen('issuer-moved', 'recovers');
  });

  // Last: the failed /mcp auth leaves Gemini's callback listener holding the port for 5 minutes.
  it('no-dcr: stops at once, naming the missing registration', async () => {
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const runs = browserRecords(gemini.s).length;
    const said = await authFails(false);
    expect(said).toBe(
      "Failed to authenticate with MCP server 'enginy': No client ID provided and dynamic registration not supported",
    );
    expect(browserRecords(gemini.s)).toHaveLength(runs);
    expect(await linesSince(since)).toEqual([]);
    // It had started its callback listener before finding no registration endpoint, and left it open.
    await expect(waitForFreePort(CLAUDE_CODE_CALLBACK_PORT, 2_000)).rejects.toThrow('stayed busy');
    expect(seen('no-dcr', 'stops')).toContain(said);
  });
});
