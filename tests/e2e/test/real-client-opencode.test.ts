// The real opencode CLI against the seeded demo. It always sends
// http://127.0.0.1:19876/mcp/oauth/callback, which the demo does not allowlist: the first
// `opencode mcp auth` ends on the error page, which names that exact URI; the admin adds it in the
// console, and the second connects. `opencode mcp list` shows the state; the token opencode stored
// answers mcp_whoami.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { reportClient, whoamiWithToken } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN } from '../src/whoami.ts';

const OPENCODE_REDIRECT_URI = 'http://127.0.0.1:19876/mcp/oauth/callback';
const e2e = useStack();
const opencode = cliCommand('opencode');
const s = scratch('opencode');
afterAll(() => s.remove());

/** enginy's line of `opencode mcp list`, colours stripped. */
async function status(): Promise<string> {
  const { output } = await run([...opencode, 'mcp', 'list'], { cwd: s.project, env: s.env });
  const plain = stripVTControlCharacters(output);
  return plain.match(/^.*enginy.*$/m)?.[0] ?? plain;
}

/** opencode's OAuth store, ~/.local/share/opencode/mcp-auth.json. */
function storedAccessToken(): string {
  const store = JSON.parse(
    readFileSync(join(s.home, '.local', 'share', 'opencode', 'mcp-auth.json'), 'utf8'),
  ) as Record<string, { tokens?: { accessToken: string } }>;
  const token = store.enginy?.tokens?.accessToken;
  if (token === undefined)
    throw new Error(`opencode stored no token for enginy: ${JSON.stringify(Object.keys(store.enginy ?? {}))}`);
  return token;
}

describe('opencode (opencode.json + opencode mcp auth enginy)', () => {
  it('is refused with the URI to allowlist, then connects once the admin adds it, and its stored token passes mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    writeFileSync(
      join(s.project, 'opencode.json'),
      JSON.stringify(
        { $schema: 'https://opencode.ai/config.json', mcp: { enginy: { type: 'remote', url: mcpUrl } } },
        null,
        2,
      ),
    );
    expect(await status()).toContain('needs authentication');

    await waitForFreePort(19876);
    const refused = await loginThroughBrowser(s, [...opencode, 'mcp', 'auth', 'enginy'], 1);
    expect(refused.browser.callback).toBeUndefined();
    expect(refused.browser.errorText).toBe('redirect_uri is not allowed');
    // The page says what the client sent, byte for byte: what the admin must add.
    expect(refused.browser.pageText).toContain(`Redirect URI sent by the application\n${OPENCODE_REDIRECT_URI}`);
    expect(new URL(refused.browser.url).searchParams.get('redirect_uri')).toBe(OPENCODE_REDIRECT_URI);

    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, OPENCODE_REDIRECT_URI] });

    await waitForFreePort(19876);
    const started = Date.now();
    const login = await loginThroughBrowser(s, [...opencode, 'mcp', 'auth', 'enginy'], 2);
    const listed = await status();
    await reportClient(e2e.db, {
      cli: 'opencode',
      authorizeUrl: login.browser.url,
      result: listed.includes('connected') ? 'connected (after allowlisting its redirect URI)' : listed,
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(login.cli.code, login.cli.output.slice(-2000)).toBe(0);
    expect(listed).toContain('connected');
    expect(listed).not.toContain('needs authentication');

    const who = await whoamiWithToken(mcpUrl, storedAccessToken());
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
  });
});
