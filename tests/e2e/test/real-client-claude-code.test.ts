// The real Claude Code CLI against the seeded demo, with the README's commands unchanged: it logs in
// through the browser ($BROWSER approves in Chromium and the callback reaches Claude's own listener),
// `claude mcp list` says Connected, and the token it stored answers mcp_whoami. Then the token's life
// as an admin sees it: a refresh after expiry keeps one connection, a narrowed policy shows up in
// mcp_whoami at once, a revoke in the console sends Claude back to "Needs authentication".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, inTty, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { freeCallbackPort, mcpStatus, reportClient, whoamiWithToken } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN } from '../src/whoami.ts';

// The shortest lifetime the config accepts: with 300 s or less left, Claude refreshes on each
// `claude mcp list`, which the refresh test below relies on.
const TTL_SECONDS = 60;
const e2e = useStack({ ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) });
const claude = cliCommand('claude');
const s = scratch('claude');
const cli = (...args: string[]) => run([...claude, ...args], { cwd: s.project, env: s.env });
afterAll(() => s.remove());

interface StoredToken {
  serverName: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scope: string;
  clientId: string;
}

/** Claude Code's own token store on Linux. */
function storedToken(): StoredToken {
  const store = JSON.parse(readFileSync(join(s.home, '.claude', '.credentials.json'), 'utf8')) as {
    mcpOAuth: Record<string, StoredToken>;
  };
  const entry = Object.values(store.mcpOAuth).find((token) => token.serverName === 'enginy');
  if (entry === undefined) throw new Error('Claude Code stored no token for enginy');
  return entry;
}

async function status(): Promise<string> {
  const { output } = await cli('mcp', 'list');
  return output.match(/^enginy: .*$/m)?.[0] ?? output;
}

describe('Claude Code (claude mcp add … && claude mcp login enginy)', () => {
  it('connects to the seeded demo with the README commands, and its stored token passes mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const added = await cli('mcp', 'add', '--transport', 'http', '--callback-port', '3118', 'enginy', mcpUrl);
    expect(added.code, added.output).toBe(0);
    expect(await status()).toContain('Needs authentication');

    await freeCallbackPort();
    const started = Date.now();
    // `claude mcp login` wants a terminal.
    const login = await loginThroughBrowser(s, inTty([...claude, 'mcp', 'login', 'enginy']), 1);
    const listed = await status();
    const seconds = (Date.now() - started) / 1000;
    await reportClient(e2e.db, {
      cli: 'claude',
      authorizeUrl: login.browser.url,
      result: listed.includes('Connected') ? 'Connected' : listed,
      secondsToConnected: seconds,
    });
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(login.cli.output).toContain('Authenticated with "enginy"');
    expect(listed).toContain('✔ Connected');

    const sent = new URL(login.browser.url).searchParams;
    expect(sent.get('redirect_uri')).toBe('http://localhost:3118/callback');
    expect(sent.get('resource')).toBe(mcpUrl);
    const who = await whoamiWithToken(mcpUrl, storedToken().accessToken);
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
  });

  it('shows a narrowed workspace policy in mcp_whoami through the token Claude holds, with no new login', async () => {
    const admin = await consoleApi(e2e.stack);
    const before = await admin.settings();
    await admin.saveSettings({ policyScopes: before.policyScopes.filter((scope) => scope !== 'CONTACTS_READ') });
    try {
      const who = await whoamiWithToken(e2e.stack.config.openapi.mcpUrl, storedToken().accessToken);
      expect(who.grantedScopes).toContain('CONTACTS_READ');
      expect(who.effectiveScopes).not.toContain('CONTACTS_READ');
      expect(who.policyScopes).not.toContain('CONTACTS_READ');
      const scopeCheck = who.checks.find((check) => !check.ok);
      expect(scopeCheck?.detail).toContain('no longer in the workspace policy: CONTACTS_READ');
    } finally {
      await admin.saveSettings({ policyScopes: before.policyScopes });
    }
  });

  it('refreshes after the access token expired, stays Connected, and the console still lists one connection', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const admin = await consoleApi(e2e.stack);
    const grantsBefore = (await admin.connections()).map((connection) => connection.grantId);
    expect(grantsBefore).toHaveLength(1);
    // Claude refreshes a token with 300 s or less left on each `claude mcp list`, so this list
    // takes a 5 s token from the failure lab (expire-access): waiting that one out is real expiry in
    // seconds, not in the config's shortest lifetime (60 s). The lab goes off again before the refresh
    // under test, so what Claude gets then, and what mcp_whoami says of it, is the plain stack's.
    await admin.labOn('expire-access', 'workspace', { seconds: 5 });
    try {
      expect(await status()).toContain('✔ Connected');
    } finally {
      await admin.labAllOff();
    }
    const first = storedToken();
    expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(5_000);
    // Wait out the token Claude holds now.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, first.expiresAt - Date.now()) + 1_000));
    expect(await mcpStatus(mcpUrl, first.accessToken)).toBe(401);

    expect(await status()).toContain('✔ Connected');
    const refreshed = storedToken();
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.expiresAt).toBeGreaterThan(Date.now());
    expect((await whoamiWithToken(mcpUrl, refreshed.accessToken)).checks.every((check) => check.ok)).toBe(true);
    // A refresh continues the grant: still one connection, the same one.
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grantsBefore);
  });

  it('goes back to "Needs authentication" once the admin revokes the connection in the console', async () => {
    const admin = await consoleApi(e2e.stack);
    const [connection] = await admin.connections();
    expect(connection?.clientId).toBe(storedToken().clientId);
    await admin.revoke(connection?.grantId ?? '');
    expect(await admin.connections()).toEqual([]);
    expect(await mcpStatus(e2e.stack.config.openapi.mcpUrl, storedToken().accessToken)).toBe(401);
    expect(await status()).toContain('Needs authentication');
  });
});
