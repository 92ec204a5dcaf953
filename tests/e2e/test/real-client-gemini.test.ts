// The real Gemini CLI, driven through its interactive UI in a pseudo-terminal (OAuth starts only from
// there): `gemini mcp add`, its redirect fixed by the recipe (`oauth.redirectUri` in the server's
// settings entry), that URI allowlisted by the admin (it is not the seeded one), trust the folder,
// choose the API-key method, `/mcp auth enginy`, then `/mcp list` says Ready and the token Gemini
// stored answers mcp_whoami.
//
// Gemini asks for the authorization server metadata's whole `scopes_supported` (not the resource
// metadata's, nor the challenge's): that list is what the enabled policies grant, so its default
// request is granted with nothing but the recipe.
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../src/console-api.ts';
import { GEMINI_REDIRECT_URI, GeminiCli } from '../src/gemini-ui.ts';
import { reportClient, whoamiWithToken } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN } from '../src/whoami.ts';

const e2e = useStack();
const gemini = new GeminiCli();
afterAll(() => gemini.close());

describe('Gemini CLI (gemini mcp add, then /mcp auth enginy in its UI)', () => {
  it('connects by its recipe once the admin allowlists its redirect URI, and its stored token passes mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const added = await gemini.add(mcpUrl);
    expect(added.output).toContain('MCP server "enginy" added to project settings');
    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris, policyScopes } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, GEMINI_REDIRECT_URI] });

    await gemini.start(true);
    const started = Date.now();
    const record = await gemini.authInBrowser();
    expect(record.errorText, record.pageText).toBeUndefined();
    expect(new URL(record.url).searchParams.get('scope')?.split(' ').sort()).toEqual([...policyScopes].sort());
    await gemini.ui.waitFor(/Successfully authenticated and reloaded tools for 'enginy'/);
    const screen = await gemini.slashCommand('/mcp list', /Configured MCP servers:[\s\S]*enginy - .*$/m);
    await reportClient(e2e.db, {
      cli: 'gemini',
      authorizeUrl: record.url,
      result: 'Ready',
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(screen).toMatch(/🟢 enginy - Ready \(\d+ tools\) \(OAuth\)/);
    expect(new URL(record.url).searchParams.get('redirect_uri')).toBe(GEMINI_REDIRECT_URI);

    // With no OS keychain module built, Gemini keeps MCP tokens in ~/.gemini/mcp-oauth-tokens.json.
    const stored = gemini.storedToken();
    const who = await whoamiWithToken(mcpUrl, stored?.token.accessToken ?? '');
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect(who.client.name).toBe('Gemini CLI MCP Client');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
  });
});
