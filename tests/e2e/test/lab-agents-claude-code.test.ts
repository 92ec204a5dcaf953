// What the real Claude Code CLI does with failure-lab scenarios switched on, driven offline as in
// real-client-claude-code.test.ts: `claude mcp login` through the browser ($BROWSER approves in
// Chromium), `claude mcp list` to connect, and `claude -p` with a stand-in model to call a tool. Each scenario is switched through the console's failure-lab
// API; what Claude sent is read back from the console's Flows view. Every assertion is an observation:
// packages/config/src/failure-lab-agents/claude-code.ts states the same, and a Claude Code version
// that behaves otherwise fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAUDE_CODE } from '@enginy/config/failure-lab-agents/claude-code';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserRecords, cliCommand, cliVersion, inTty, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { startAnthropicStandIn } from '../src/anthropic-model-server.ts';
import { consoleApi } from '../src/console-api.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { labStepsSince, recordOf, stepLine } from '../src/lab-steps.ts';
import { useStack } from '../src/stack-fixture.ts';

const e2e = useStack();
const claude = cliCommand('claude');
const s = scratch('claude');
const cli = (...args: string[]) => run([...claude, ...args], { cwd: s.project, env: s.env });
let api: ConsoleClient;
let logins = 0;

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  const added = await cli(
    'mcp',
    'add',
    '--transport',
    'http',
    '--callback-port',
    '3118',
    'enginy',
    e2e.stack.config.openapi.mcpUrl,
  );
  expect(added.code, added.output).toBe(0);
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(() => s.remove());

/** `claude mcp login enginy` in a terminal, the browser approving: what the browser and Claude saw. */
async function login() {
  await freeCallbackPort();
  logins += 1;
  return await loginThroughBrowser(s, inTty([...claude, 'mcp', 'login', 'enginy']), logins);
}
async function status(): Promise<string> {
  const { output } = await cli('mcp', 'list');
  return output.match(/^enginy: .*$/m)?.[0] ?? output;
}
/** Claude Code's own token store on Linux. */
function storedToken(): { accessToken: string; expiresAt: number; clientId: string } {
  const store = JSON.parse(readFileSync(join(s.home, '.claude', '.credentials.json'), 'utf8')) as {
    mcpOAuth: Record<string, { serverName: string; accessToken: string; expiresAt: number; clientId: string }>;
  };
  const entry = Object.values(store.mcpOAuth).find((token) => token.serverName === 'enginy');
  if (entry === undefined) throw new Error('Claude Code stored no token for enginy');
  return entry;
}
async function storedTokenExpired(): Promise<void> {
  const left = storedToken().expiresAt - Date.now() + 250;
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

const stepsSince = (since: number) => labStepsSince(api, since);
const line = stepLine;

const CLAUDE_CLIENT_ID = 'https://claude.ai/oauth/claude-code-client-metadata';
const issuer = () => e2e.stack.config.auth.issuer;
/** Terminal output without its colour and cursor codes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape codes are what is removed.
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message
    .replaceAll(issuer(), 'http://localhost:3002')
    .replaceAll(new URL(e2e.stack.config.openapi.mcpUrl).origin, 'http://localhost:3001');

const seen = recordOf(CLAUDE_CODE);

describe(`Claude Code ${cliVersion('claude')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(CLAUDE_CODE.version).toBe(cliVersion('claude'));
  });

  it('expire-access: refreshes when `claude mcp list` finds the token expired, and stays Connected', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const signedIn = await login();
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    expect(signedIn.cli.output).toContain('Authenticated with "enginy"');
    const first = storedToken();
    expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(3_000);
    await storedTokenExpired();
    expect(await status()).toContain('✔ Connected');
    expect(storedToken().accessToken).not.toBe(first.accessToken);
    const steps = (await stepsSince(since)).map(line);
    expect(steps.slice(0, 4)).toEqual(['authorize 302', 'sign-in 200', 'consent 200', 'token 200']);
    expect(steps.length).toBeGreaterThan(4);
    expect(new Set(steps.slice(4))).toEqual(new Set(['refresh 200']));
    expect(logins).toBe(1);
    seen('expire-access', 'recovers');
  });

  it('token-unavailable: retries its refresh on its own, sooner than Retry-After, and stays Connected', async () => {
    // (Short tokens still, as forget-client next expects of the one stored.)
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await storedTokenExpired();
    await api.labOn('token-unavailable', 'global', { count: 2 });
    const since = Date.now();
    expect(await status()).toContain('✔ Connected');
    const steps = await stepsSince(since);
    expect(steps.slice(0, 2).map(line)).toEqual([
      'refresh 503 temporarily_unavailable',
      'refresh 503 temporarily_unavailable',
    ]);
    expect(new Set(steps.slice(2).map(line))).toEqual(new Set(['refresh 200']));
    // The 503 said Retry-After: 5 (UNAVAILABLE_RETRY_AFTER_SECONDS); its next try came sooner (about
    // 1 s, then 2 s, observed).
    const [first, second] = steps.map((step) => Date.parse(step.at));
    expect((second as number) - (first as number)).toBeLessThan(5_000);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(0);
    expect(browserRecords(s)).toHaveLength(logins);
    seen('token-unavailable', 'recovers');
  });

  it('refresh-no-grace: two `claude mcp list` at once after expiry refresh one after the other, so none is refused', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('refresh-no-grace', 'workspace');
    await storedTokenExpired();
    const since = Date.now();
    const both = await Promise.all([status(), status()]);
    for (const said of both) expect(said).toContain('✔ Connected');
    const steps = (await stepsSince(since)).map(line);
    expect(steps.length).toBeGreaterThan(2);
    expect(new Set(steps)).toEqual(new Set(['refresh 200']));
    expect(browserRecords(s)).toHaveLength(logins);
    seen('refresh-no-grace', 'unaffected');
  });

  it('forget-client: its client ID is its metadata document, so refreshing and signing in again are untouched', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    await api.labOn('forget-client', 'global');
    const since = Date.now();
    await storedTokenExpired();
    expect(await status()).toContain('✔ Connected');
    const clientId = storedToken().clientId;
    expect(clientId).toBe('https://claude.ai/oauth/claude-code-client-metadata');
    const refreshed = await stepsSince(since);
    expect(refreshed.length).toBeGreaterThan(0);
    expect(new Set(refreshed.map(line))).toEqual(new Set(['refresh 200']));
    expect(refreshed.every((step) => step.scenarios.includes('forget-client'))).toBe(true);

    // Signing in again: it revokes what it held, then authorizes with the same client ID.
    const again = Date.now();
    const signedIn = await login();
    expect(signedIn.browser.errorText, signedIn.browser.pageText).toBeUndefined();
    expect(new URL(signedIn.browser.url).searchParams.get('client_id')).toBe(clientId);
    const steps = (await stepsSince(again)).map(line);
    expect(steps.slice(0, 6)).toEqual([
      'revoke 200',
      'revoke 200',
      'authorize 302',
      'sign-in 200',
      'consent 200',
      'token 200',
    ]);
    expect(steps).not.toContain('register 201');
    expect(await status()).toContain('✔ Connected');
    seen('forget-client', 'unaffected');
  });

  it('iss-mismatch: refuses the authorization response, redeems nothing, and says why', async () => {
    await api.labOn('iss-mismatch', 'global');
    const since = Date.now();
    const signedIn = await login();
    const said = `Couldn't complete authentication for "enginy": Issuer mismatch in authorization response (RFC 9207): expected "${issuer()}", received "${issuer()}/failure-lab-wrong-issuer"`;
    expect(plain(signedIn.cli.output)).toContain(said);
    // (A sign-in first revokes what it held.)
    const steps = (await stepsSince(since)).map(line).filter((step) => step !== 'revoke 200');
    expect(steps).toEqual(['authorize 302', 'sign-in 200', 'consent 200']);
    expect(await status()).toContain('Needs authentication');
    expect(seen('iss-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('no-dcr: signs in with its metadata document, never registering', async () => {
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const signedIn = await login();
    expect(signedIn.cli.output).toContain('Authenticated with "enginy"');
    expect(new URL(signedIn.browser.url).searchParams.get('client_id')).toBe(CLAUDE_CLIENT_ID);
    expect((await stepsSince(since)).map(line)).toEqual(['authorize 302', 'sign-in 200', 'consent 200', 'token 200']);
    expect(await status()).toContain('✔ Connected');
    seen('no-dcr', 'unaffected');
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported and connects', async () => {
    await api.labOn('challenge-without-scope', 'global');
    const signedIn = await login();
    const { mcpUrl } = e2e.stack.config.openapi;
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl))).json()) as {
      scopes_supported: string[];
    };
    expect(new URL(signedIn.browser.url).searchParams.get('scope')).toBe(metadata.scopes_supported.join(' '));
    expect(await status()).toContain('✔ Connected');
    seen('challenge-without-scope', 'unaffected');
  });

  it('resource-mismatch: refuses, naming the origin, and `claude mcp list` says so', async () => {
    await api.labOn('resource-mismatch', 'global');
    const origin = new URL(e2e.stack.config.openapi.mcpUrl).origin;
    const said = `Protected resource ${origin}/ does not match expected ${origin} (or origin)`;
    const refused = await login().then(
      () => '',
      (error: Error) => error.message,
    );
    logins -= 1;
    expect(plain(refused)).toContain(`Couldn't complete authentication for "enginy": SDK auth failed: ${said}`);
    expect(await status()).toContain(`✘ Failed to connect — ${said}`);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });

  it('issuer-moved: signs in again at the old issuer, not the one the resource metadata names', async () => {
    await api.labOn('issuer-moved', 'global');
    const since = Date.now();
    const signedIn = await login();
    expect(signedIn.cli.output).toContain('Authenticated with "enginy"');
    const url = new URL(signedIn.browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/authorize`);
    expect((await stepsSince(since)).map(line)).toEqual(['authorize 302', 'sign-in 200', 'consent 200', 'token 200']);
    expect(await status()).toContain('✔ Connected');
    seen('issuer-moved', 'proceeds');
  });

  it('step-up: tells the model to have the person run /mcp, with no browser, no new authorization, still Connected', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const body = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };
    const model = await startAnthropicStandIn('create_contact', { body });
    const since = Date.now();
    try {
      const asked = await run(
        [...claude, '-p', 'Create the contact Ada Lovelace.', '--allowedTools', 'mcp__enginy__create_contact'],
        {
          cwd: s.project,
          // Tool search off, so that the stand-in is offered the MCP tools themselves.
          env: { ...s.env, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'stand-in', ENABLE_TOOL_SEARCH: 'false' },
          timeoutMs: 120_000,
        },
      );
      expect(asked.code, asked.output).toBe(0);
      const said =
        'MCP server "enginy" needs additional permissions (scope: "CONTACTS_WRITE") — run /mcp to re-authenticate';
      // What the tool call answered, as Claude Code handed it to the model.
      expect(model.toolResults()).toHaveLength(1);
      expect(model.toolResults()[0]?.startsWith(said)).toBe(true);
      expect(seen('step-up', 'stops')).toContain(said);
    } finally {
      await model.close();
    }
    // No browser, no /authorize, no refresh for the new scope: only the tool call reached the stack.
    expect(browserRecords(s)).toHaveLength(logins);
    const steps = (await stepsSince(since)).map(line);
    expect(steps.filter((step) => !step.startsWith('refresh'))).toEqual([]);
    expect(await status()).toContain('✔ Connected');

    // What /mcp would do: its next sign-in asks for what it held plus the scope the 403 named.
    const again = await login();
    expect(again.browser.errorText, again.browser.pageText).toBeUndefined();
    expect(new URL(again.browser.url).searchParams.get('scope')).toBe(
      [...[...READ_SCOPES].sort(), 'CONTACTS_WRITE'].join(' '),
    );
    expect(again.cli.output).toContain('Authenticated with "enginy"');
  });
});
