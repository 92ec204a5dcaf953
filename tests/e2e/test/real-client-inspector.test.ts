// The real MCP Inspector CLI (2.12) in OAuth mode against the seeded demo. By default it registers
// "MCP Inspector" dynamically and sends http://127.0.0.1:6276/oauth/callback, which the demo does not
// allowlist; its own `--callback-url http://localhost:3118/callback` (with `--relogin`, since it keeps
// one registration per server URL) connects with no admin change, and its own `tools/call
// mcp_whoami` passes. Then what it really does when its access token has ended (it refreshes after
// the 401) and when the admin revokes the connection (its refresh is refused; it drops its tokens
// and, allowed to open a browser, authorizes again with the same registration).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shortenToken } from '@enginy/db/queries/failure-lab';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRecords, cliCommand, loginThroughBrowser, run, type Scratch, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import {
  clientSteps,
  type FullWhoami,
  freeCallbackPort,
  mcpStatus,
  registrationOf,
  reportClient,
} from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN } from '../src/whoami.ts';

const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:6276/oauth/callback';
const RECIPE_REDIRECT_URI = 'http://localhost:3118/callback';
const e2e = useStack();
const inspector = [...cliCommand('inspector'), '--cli'];
const s = scratch('inspector');
// On Node 22, as it requires (agent-clis.ts), behind the scratch's dead-end proxy like every agent. No
// TTY here: MCP_AUTO_OPEN_ENABLED lets it open $BROWSER. With no OS keychain it would keep tokens in
// memory only, lost at exit: the file store keeps them between runs, as a keychain would.
const interactive: Scratch = {
  ...s,
  env: { ...s.env, MCP_AUTO_OPEN_ENABLED: 'true', MCP_INSPECTOR_SECRET_STORE: 'file' },
};
const unattended = { MCP_INSPECTOR_SECRET_STORE: 'file', ...s.env };
afterAll(() => s.remove());

// The recipe's command. The Inspector keeps no callback URL: a run without it that has to authorize
// sends 127.0.0.1:6276/oauth/callback again, which the registration made for 3118 refuses.
const whoamiCall = [
  '--method',
  'tools/call',
  '--tool-name',
  'mcp_whoami',
  '--format',
  'json',
  '--callback-url',
  RECIPE_REDIRECT_URI,
];

/** The one JSON line `--format json` prints: the result, or the error envelope. */
function answer(output: string): {
  result?: { structuredContent: FullWhoami };
  error?: { code: string; message: string };
} {
  const line = output.split('\n').find((text) => /^\{"(result|error)":/.test(text));
  if (line === undefined) throw new Error(`The Inspector printed no JSON answer:\n${output.slice(-3000)}`);
  return JSON.parse(line);
}

/** The tokens the Inspector keeps for the MCP URL in its file store (~/.mcp-inspector/secrets.json). */
function storedTokens(mcpUrl: string): { access_token: string; refresh_token: string } {
  const { secrets } = JSON.parse(readFileSync(join(s.home, '.mcp-inspector', 'secrets.json'), 'utf8')) as {
    secrets: Record<string, string>;
  };
  const key = Object.keys(secrets).find((name) => name.includes(`${encodeURIComponent(mcpUrl)}:tokens:`));
  if (key === undefined) throw new Error(`The Inspector stored no tokens: ${Object.keys(secrets).join(', ')}`);
  return JSON.parse(secrets[key] as string);
}

let recipeClientId = '';

describe('MCP Inspector CLI, OAuth mode (mcp-inspector --cli <url>)', () => {
  it('registers "MCP Inspector" and sends 127.0.0.1:6276/oauth/callback by default, which the demo refuses by name', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    await waitForFreePort(6276);
    const refused = await loginThroughBrowser(interactive, [...inspector, mcpUrl, '--method', 'tools/list'], 1);
    expect(refused.browser.callback).toBeUndefined();
    expect(refused.browser.errorText).toBe('redirect_uri is not allowed');
    expect(refused.browser.pageText).toContain(`Redirect URI sent by the application\n${DEFAULT_REDIRECT_URI}`);
    const sent = new URL(refused.browser.url).searchParams;
    expect(sent.get('redirect_uri')).toBe(DEFAULT_REDIRECT_URI);
    expect(sent.get('resource')).toBe(mcpUrl);
    expect(sent.get('scope')?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
    expect(await registrationOf(e2e.db, sent.get('client_id') ?? '')).toBe('DCR client_name "MCP Inspector"');
    await clientSteps(e2e.stack, 'inspector', sent.get('client_id') ?? '');
  });

  it('connects with its own --callback-url (and --relogin), and its tools/call mcp_whoami passes all four checks', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const refusedClient = new URL(browserRecords(s)[0]?.url ?? '').searchParams.get('client_id');
    await freeCallbackPort();
    const started = Date.now();
    const login = await loginThroughBrowser(interactive, [...inspector, mcpUrl, ...whoamiCall, '--relogin'], 2);
    const sent = new URL(login.browser.url).searchParams;
    recipeClientId = sent.get('client_id') ?? '';
    const who = answer(login.cli.output).result?.structuredContent;
    await reportClient(e2e.db, {
      cli: 'inspector',
      authorizeUrl: login.browser.url,
      result: who === undefined ? login.cli.output.slice(-300) : 'mcp_whoami answered (--callback-url + --relogin)',
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(login.cli.code, login.cli.output.slice(-2000)).toBe(0);
    expect(sent.get('redirect_uri')).toBe(RECIPE_REDIRECT_URI);
    // --relogin registered again, for the new redirect URI: the old registration named 6276.
    expect(recipeClientId).not.toBe(refusedClient);
    expect(await registrationOf(e2e.db, recipeClientId)).toBe('DCR client_name "MCP Inspector"');
    expect(who?.user.email).toBe(ADMIN.email);
    expect(who?.workspace.name).toBe('Acme Outreach');
    expect(who?.client.name).toBe('MCP Inspector');
    expect([...(who?.grantedScopes ?? [])].sort()).toEqual([...READ_SCOPES].sort());
    expect(who?.checks).toHaveLength(4);
    expect(who?.checks.filter((check) => !check.ok)).toEqual([]);
  });

  it('refreshes after the 401 once its access token has ended, with no browser, and keeps the one connection', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const admin = await consoleApi(e2e.stack);
    const grants = (await admin.connections()).map((connection) => connection.grantId);
    expect(grants).toHaveLength(1);
    const before = storedTokens(mcpUrl);
    // The token ends at the server now. The Inspector stores `expires_in` (an hour) but not when it
    // got it, so the 401 is the only way it can learn.
    await shortenToken(e2e.db, hashSecret(e2e.stack.config.tokenHashKey, before.access_token), new Date());
    expect(await mcpStatus(mcpUrl, before.access_token)).toBe(401);
    const refreshesBefore = (await clientSteps(e2e.stack, 'inspector', recipeClientId)).filter(
      (step) => step.step === 'refresh',
    );

    const again = await run([...inspector, mcpUrl, ...whoamiCall], { cwd: s.project, env: interactive.env });
    expect(again.code, again.output.slice(-2000)).toBe(0);
    expect(answer(again.output).result?.structuredContent.checks.every((check) => check.ok)).toBe(true);
    expect(browserRecords(s)).toHaveLength(2);
    const after = storedTokens(mcpUrl);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    const refreshes = (await clientSteps(e2e.stack, 'inspector', recipeClientId)).filter(
      (step) => step.step === 'refresh',
    );
    expect(refreshes.slice(refreshesBefore.length).map((step) => [step.status, step.sent.resource])).toEqual([
      [200, mcpUrl],
    ]);
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grants);
  });

  it('after a revoke in the console: its refresh is refused, it drops its tokens, and authorizes again with the same registration', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const admin = await consoleApi(e2e.stack);
    const [connection] = await admin.connections();
    expect(connection?.clientId).toBe(recipeClientId);
    await admin.revoke(connection?.grantId ?? '');
    expect(await mcpStatus(mcpUrl, storedTokens(mcpUrl).access_token)).toBe(401);

    // Unattended (no TTY, no auto-open): it stops and says a login is needed.
    const stopped = await run([...inspector, mcpUrl, ...whoamiCall], { cwd: s.project, env: unattended });
    expect(stopped.code).toBe(3);
    expect(stopped.output).toContain(
      'OAuth "invalid_grant" — invalidating the stored tokens and retrying authorization. Cause: "The refresh token was revoked"',
    );
    expect(answer(stopped.output).error?.code).toBe('auth_required');
    expect(browserRecords(s)).toHaveLength(2);
    const refused = (await clientSteps(e2e.stack, 'inspector', recipeClientId)).at(-1);
    expect([refused?.step, refused?.status, refused?.error]).toEqual(['refresh', 400, 'invalid_grant']);

    // Allowed to open a browser: a new authorization, by the registration it already has.
    await freeCallbackPort();
    const login = await loginThroughBrowser(interactive, [...inspector, mcpUrl, ...whoamiCall], 3);
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(login.cli.code, login.cli.output.slice(-2000)).toBe(0);
    expect(new URL(login.browser.url).searchParams.get('client_id')).toBe(recipeClientId);
    expect(answer(login.cli.output).result?.structuredContent.checks.every((check) => check.ok)).toBe(true);
    const steps = await clientSteps(e2e.stack, 'inspector', recipeClientId);
    expect(steps.filter((step) => step.step === 'register')).toHaveLength(1);
    const [now] = await admin.connections();
    expect(now?.clientId).toBe(recipeClientId);
    expect(now?.grantId).not.toBe(connection?.grantId);
  });
});
