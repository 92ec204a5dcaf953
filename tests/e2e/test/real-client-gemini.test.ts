// The real Gemini CLI, driven through its interactive UI in a pseudo-terminal (OAuth starts only from
// there): `gemini mcp add`, its redirect fixed by the recipe (`oauth.redirectUri` in the server's
// settings entry), that URI allowlisted by the admin (it is not the seeded one), trust the folder,
// choose the API-key method, `/mcp auth enginy`, then `/mcp list` says Ready and the token Gemini
// stored answers mcp_whoami.
//
// Gemini asks for the authorization server metadata's whole `scopes_supported` (not the resource
// metadata's, nor the challenge's): that list is what the enabled policies grant, so its default
// request is granted with nothing but the recipe.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRecord, cliCommand, run, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { freeCallbackPort, reportClient, whoamiWithToken } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';
import { ADMIN } from '../src/whoami.ts';

const GEMINI_REDIRECT_URI = 'http://localhost:3118/oauth/callback';
const e2e = useStack();
const gemini = cliCommand('gemini');
const s = scratch('gemini');
// Any key: the API-key method only has to be chosen, never used.
const env = { ...s.env, GEMINI_API_KEY: 'offline-e2e-key' };
const projectSettings = join(s.project, '.gemini', 'settings.json');
let terminal: TerminalSession | undefined;
afterAll(async () => {
  await terminal?.close();
  s.remove();
});

type ServerEntry = { oauth?: Record<string, unknown> } & Record<string, unknown>;
function editServerEntry(edit: (entry: ServerEntry) => void): void {
  const settings = JSON.parse(readFileSync(projectSettings, 'utf8')) as { mcpServers: Record<string, ServerEntry> };
  edit(settings.mcpServers.enginy as ServerEntry);
  writeFileSync(projectSettings, JSON.stringify(settings, null, 2));
}

/** Starts the UI; the first time, trusts the folder and picks the API-key method. */
async function startGemini(firstRun: boolean): Promise<TerminalSession> {
  await terminal?.close();
  terminal = await TerminalSession.start(gemini, { cwd: s.project, env });
  if (firstRun) {
    // The folder is trusted in ~/.gemini/trustedFolders.json (below); should the dialog still come,
    // trusting restarts the CLI, which then asks how to authenticate.
    const first = await terminal.waitFor(/● 1\. Trust folder|How would you like to authenticate/, 60_000);
    if (/● 1\. Trust folder/.test(first))
      await confirm(terminal, /● 1\. Trust folder/, /How would you like to authenticate/, 60_000);
    await terminal.waitFor(/● 2\. Use Gemini API Key/);
    await confirm(terminal, /● 2\. Use Gemini API Key/, /Enter Gemini API Key/);
    await confirm(terminal, /Enter Gemini API Key/, /Type your message/, 60_000);
  }
  await terminal.waitFor(/Type your message/, 60_000);
  return terminal;
}

/** `/mcp auth enginy`, confirmed; the `n`th browser run's record. */
async function mcpAuth(t: TerminalSession, n: number) {
  await freeCallbackPort();
  await slashCommand(t, '/mcp auth enginy', /Do you want to continue\?/);
  await confirm(t, /Do you want to continue\?/, /Opening your browser/);
  return browserRecord(s, n);
}

const tail = (screen: string) => screen.trimEnd().split('\n').slice(-6).join('\n');

/**
 * Types a slash command and presses Enter until the UI answers: a loaded machine can make the UI
 * drop a key press (the command stays in the input) or ignore typing while it reloads a server.
 */
async function slashCommand(t: TerminalSession, command: string, answer: RegExp): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    if (!tail(await t.screen()).includes(`> ${command}`)) await t.type(command, false);
    await t.type('');
    try {
      return await t.waitFor(answer, 15_000);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Presses Enter on the selected option of `dialog` until the screen shows `next` (again if a press was lost). */
async function confirm(t: TerminalSession, dialog: RegExp, next: RegExp, timeoutMs = 15_000): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await t.type('');
    try {
      await t.waitFor(next, timeoutMs);
      return;
    } catch (error) {
      const bottom = (await t.screen()).trimEnd().split('\n').slice(-30).join('\n');
      if (attempt === 3 || !dialog.test(bottom)) throw error;
    }
  }
}

describe('Gemini CLI (gemini mcp add, then /mcp auth enginy in its UI)', () => {
  it('connects by its recipe once the admin allowlists its redirect URI, and its stored token passes mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    // No update checks or usage statistics (the scratch user's settings, not the recipe).
    mkdirSync(join(s.home, '.gemini'));
    writeFileSync(
      join(s.home, '.gemini', 'settings.json'),
      JSON.stringify({
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
        privacy: { usageStatisticsEnabled: false },
      }),
    );
    // The project folder trusted as its trust dialog records it: on a loaded machine the dialog's
    // answer was once lost, and an untrusted folder's MCP servers are skipped ("server not found").
    writeFileSync(join(s.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [s.project]: 'TRUST_FOLDER' }));
    const added = await run([...gemini, 'mcp', 'add', '--transport', 'http', 'enginy', mcpUrl], {
      cwd: s.project,
      env,
    });
    expect(added.output).toContain('MCP server "enginy" added to project settings');
    editServerEntry((entry) => {
      entry.oauth = { redirectUri: GEMINI_REDIRECT_URI };
    });
    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris, policyScopes } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, GEMINI_REDIRECT_URI] });

    const t = await startGemini(true);
    const started = Date.now();
    const record = await mcpAuth(t, 1);
    expect(record.errorText, record.pageText).toBeUndefined();
    expect(new URL(record.url).searchParams.get('scope')?.split(' ').sort()).toEqual([...policyScopes].sort());
    await t.waitFor(/Successfully authenticated and reloaded tools for 'enginy'/);
    const screen = await slashCommand(t, '/mcp list', /Configured MCP servers:[\s\S]*enginy - .*$/m);
    await reportClient(e2e.db, {
      cli: 'gemini',
      authorizeUrl: record.url,
      result: 'Ready',
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(screen).toMatch(/🟢 enginy - Ready \(\d+ tools\) \(OAuth\)/);
    expect(new URL(record.url).searchParams.get('redirect_uri')).toBe(GEMINI_REDIRECT_URI);

    // With no OS keychain module built, Gemini keeps MCP tokens in ~/.gemini/mcp-oauth-tokens.json.
    const tokens = JSON.parse(readFileSync(join(s.home, '.gemini', 'mcp-oauth-tokens.json'), 'utf8')) as {
      serverName: string;
      token: { accessToken: string };
    }[];
    const stored = tokens.find((entry) => entry.serverName === 'enginy');
    const who = await whoamiWithToken(mcpUrl, stored?.token.accessToken ?? '');
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect(who.client.name).toBe('Gemini CLI MCP Client');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
  });
});
