// The real Codex CLI against the seeded demo, given only its two callback settings: `codex mcp add`
// starts an OAuth flow of its own at once (so it gets them too), `codex mcp login` logs in again,
// `codex mcp list` shows the state, and the token Codex stored answers mcp_whoami.
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, describe, expect, it } from 'vitest';
import { loginThroughBrowser, scratch } from '../src/agent-clis.ts';
import { CODEX_CALLBACK as CALLBACK, codex, codexAuthStatus, codexStoredToken } from '../src/codex-cli.ts';
import { freeCallbackPort, reportClient, whoamiWithToken } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN } from '../src/whoami.ts';

const e2e = useStack();
const s = scratch('codex');
const authStatus = () => codexAuthStatus(s);
const storedAccessToken = () => codexStoredToken(s).access_token;

afterAll(() => s.remove());

describe('Codex CLI (codex mcp add / login with the callback settings)', () => {
  it('logs in on `mcp add`, again with `mcp login`, and its stored token passes mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    await freeCallbackPort();
    const added = await loginThroughBrowser(s, [...codex, 'mcp', 'add', 'enginy', '--url', mcpUrl, ...CALLBACK], 1);
    expect(added.browser.errorText, added.browser.pageText).toBeUndefined();
    expect(added.cli.output).toContain('Successfully logged in');
    expect(await authStatus()).toBe('o_auth');
    const fromAdd = storedAccessToken();

    // (`codex mcp logout` fails here: "failed to delete OAuth tokens from keyring" with no keyring.)
    await freeCallbackPort();
    const started = Date.now();
    const login = await loginThroughBrowser(s, [...codex, 'mcp', 'login', 'enginy', ...CALLBACK], 2);
    const auth = await authStatus();
    await reportClient(e2e.db, {
      cli: 'codex',
      authorizeUrl: login.browser.url,
      result: auth === 'o_auth' ? 'logged in (OAuth)' : auth,
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(login.cli.output).toContain("Successfully logged in to MCP server 'enginy'");
    expect(auth).toBe('o_auth');

    const sent = new URL(login.browser.url).searchParams;
    expect(sent.get('client_id')).toBe('https://chatgpt.com/oauth/codex/client.json');
    expect(sent.get('redirect_uri')).toBe('http://localhost:3118/callback');
    expect(storedAccessToken()).not.toBe(fromAdd);
    const who = await whoamiWithToken(mcpUrl, storedAccessToken());
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
  });
});
