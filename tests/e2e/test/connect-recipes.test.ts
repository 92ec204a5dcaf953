// The real MCP clients' recipes in the console and on the consent page, in Chromium against the real
// stack: the Connect page shows each tested client's commands and the redirect URI it really sends,
// and an admin (never a member) allows that exact URI from there; a request for more scopes than the
// policy allows shows each client's own way to ask for less, the requesting client first, and an
// admin's link ticks the missing scopes in the settings; the OAuth clients page lists the client ID
// metadata document clients with where their metadata came from.
import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI as CALLBACK } from '@enginy/config/defaults';
import { KNOWN_CLIENTS, knownClient } from '@enginy/config/known-clients';
import { SEED_IDS } from '@enginy/db/seed';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { Locator, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsolePage, eventually, expectNoErrors, openConsole, screenshot } from '../src/console-page.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';
import { acmeMcpSettings, resetAcmeMcp } from '../src/doctor-run.ts';

const e2e = useStackAndBrowser();
const OPENCODE = 'http://127.0.0.1:19876/mcp/oauth/callback';
const CLAUDE_CIMD = 'https://claude.ai/oauth/claude-code-client-metadata';
const CODEX_CIMD = 'https://chatgpt.com/oauth/codex/client.json';
const web = () => e2e.stack.config.web.url;

const acmeSettings = () => acmeMcpSettings(e2e.db);
const resetAcme = () => resetAcmeMcp(e2e.db);

let opened: ConsolePage[] = [];
async function open(path: string, who = ADMIN, expected: RegExp[] = []): Promise<ConsolePage> {
  const c = await openConsole(e2e.browser, web(), path, who, expected);
  opened.push(c);
  return c;
}
beforeEach(resetAcme);
afterEach(async () => {
  for (const c of opened) await c.close();
  opened = [];
});

/**
 * A metadata-document client as the auth service stores it after fetching its document just now, so
 * /authorize uses this cached copy and never reaches for the client's host (only loopback traffic here).
 */
async function storeCimdClient(
  id: string,
  name: string,
  source: 'fetched' | 'bundled' | 'unverified',
  redirectUris: string[],
) {
  const now = new Date();
  await e2e.db
    .insertInto('oauth_clients')
    .values({
      id,
      kind: 'cimd',
      name,
      redirect_uris: redirectUris,
      token_endpoint_auth_method: 'none',
      metadata: JSON.stringify({
        client_id: id,
        client_name: name,
        redirect_uris: redirectUris,
        token_endpoint_auth_method: 'none',
      }),
      fetched_at: source === 'fetched' ? now : null,
      metadata_source: source,
      metadata_checked_at: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        fetched_at: source === 'fetched' ? now : null,
        metadata_source: source,
        metadata_checked_at: now,
      }),
    )
    .execute();
}

function authorizeUrl(clientId: string, scope: string): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'narrow',
    scope,
    resource: e2e.stack.config.openapi.mcpUrl,
  });
  return `${e2e.stack.config.auth.issuer}/authorize?${q}`;
}

/** Signs in on the consent page the authorize URL leads to, and waits for the refusal. */
async function refusedConsent(page: Page, url: string, who: typeof ADMIN) {
  await page.goto(url);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Authorization error' }).waitFor();
}

describe('the Connect page', () => {
  it("shows every tested client's recipe and the redirect URI it sends, Claude Code first, the choice in the query string", async () => {
    const c = await open('/console/connect');
    const { page } = c;
    const mcpUrl = e2e.stack.config.openapi.mcpUrl;
    await eventually(() => page.title()).toBe('Connect a client · Enginy console');
    expect(await page.getByRole('tab').allTextContents()).toEqual(KNOWN_CLIENTS.map((client) => client.name));
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Claude Code');

    // Claude Code, by default: the product's command, copyable, and the fixed callback it sends.
    const claude = page.getByRole('tabpanel', { name: 'Claude Code' });
    expect(await claude.getByTestId('command-1').textContent()).toBe(
      `claude mcp add --transport http --callback-port 3118 enginy ${mcpUrl}`,
    );
    await claude.getByRole('button', { name: 'Copy command 1' }).click();
    await eventually(() => page.evaluate('navigator.clipboard.readText()')).toBe(
      `claude mcp add --transport http --callback-port 3118 enginy ${mcpUrl}`,
    );
    expect(await claude.getByTestId('sent-uri').textContent()).toBe(CALLBACK);
    await eventually(() => claude.getByTestId('sent-uri-state').textContent()).toBe('in Allowed redirect URIs');
    expect(await claude.getByText('http://localhost:<port>/callback').count()).toBe(1);
    await eventually(() =>
      claude.getByRole('list', { name: 'Before you start' }).getByRole('listitem').allTextContents(),
    ).toEqual([
      '✓MCP integration enabled: done',
      '✓MCP policy active with at least one scope: done',
      '✓http://localhost:3118/callback in Allowed redirect URIs: done',
      '✓Allowed OAuth client IDs empty for the first connection: done',
    ]);
    expect(await claude.getByTestId('narrow-scopes').textContent()).toContain(
      `"oauth": { "scopes": "${READ_SCOPES.join(' ')}" }`,
    );
    await screenshot(page, 'connect-claude-code');

    // Every client: its commands (or config file) for this stack, the URI its recipe sends, how the callback is fixed.
    for (const client of KNOWN_CLIENTS) {
      await page.getByRole('tab', { name: client.name, exact: true }).click();
      expect(page.url()).toBe(`${web()}/console/connect?client=${client.id}`);
      const panel = page.getByRole('tabpanel', { name: client.name });
      const setup = client.setup(mcpUrl);
      expect(await panel.getByTestId(/^command-\d+$/).allTextContents(), client.id).toEqual(setup.commands);
      expect(await panel.getByTestId('config-file').count(), client.id).toBe(setup.configFile ? 1 : 0);
      if (setup.configFile) expect(await panel.getByTestId('config-file').textContent()).toBe(setup.configFile.content);
      expect(await panel.getByTestId('sent-uri').textContent(), client.id).toBe(client.recipeRedirectUri);
      expect(await panel.getByText(client.callbackFix, { exact: true }).count(), client.id).toBe(1);
      await eventually(() => panel.getByTestId('sent-uri-state').textContent()).toBe(
        client.recipeRedirectUri === CALLBACK ? 'in Allowed redirect URIs' : 'not in Allowed redirect URIs',
      );
    }

    // opencode sends one fixed URI (no random port), not allowed yet: the admin can add exactly that one.
    await page.getByRole('tab', { name: 'opencode', exact: true }).click();
    const opencode = page.getByRole('tabpanel', { name: 'opencode' });
    expect(await opencode.getByTestId('sent-uri').textContent()).toBe(OPENCODE);
    expect(await opencode.getByText('Sent by default').count()).toBe(0);
    expect(await opencode.getByTestId('config-file').textContent()).toContain(`"url": "${mcpUrl}"`);
    expect(await opencode.getByRole('button', { name: `Add ${OPENCODE} to Allowed redirect URIs` }).isEnabled()).toBe(
      true,
    );
    await screenshot(page, 'connect-opencode');

    // The arrow keys move between clients; a bookmarked choice opens on that client.
    await page.getByRole('tab', { name: 'opencode', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(
      KNOWN_CLIENTS[KNOWN_CLIENTS.indexOf(knownClient('opencode')) + 1]?.name,
    );
    await page.goto(`${web()}/console/connect?client=gemini-cli`);
    await eventually(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Gemini CLI');
    await eventually(() =>
      page.getByRole('tabpanel', { name: 'Gemini CLI' }).getByText('http://localhost:<port>/oauth/callback').count(),
    ).toBe(1);
    expectNoErrors(c);
  });

  it("an admin's button adds opencode's exact redirect URI through the settings API, and nothing else changes", async () => {
    const c = await open('/console/connect?client=opencode');
    const { page } = c;
    const panel = page.getByRole('tabpanel', { name: 'opencode' });
    const before = await acmeSettings();
    const add = panel.getByRole('button', { name: `Add ${OPENCODE} to Allowed redirect URIs` });
    await add.click();
    await eventually(async () => (await acmeSettings()).allowed_redirect_uris).toEqual([CALLBACK, OPENCODE]);
    const after = await acmeSettings();
    expect({ ...after, allowed_redirect_uris: [], updated_at: null }).toEqual({
      ...before,
      allowed_redirect_uris: [],
      updated_at: null,
    });
    // The page says Added once the API has answered, and the API answers after it recorded the change.
    await eventually(() => panel.getByRole('status').filter({ hasText: 'Added' }).textContent()).toBe(
      `Added ${OPENCODE} to Allowed redirect URIs: in effect from the next authorization.`,
    );
    // Recorded as the admin's settings change, like a save on the settings page.
    const change = await e2e.db
      .selectFrom('auth_events')
      .select(['reason', 'details'])
      .where('workspace_id', '=', SEED_IDS.acme)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(change.reason).toBe('settings_changed');
    expect(change.details).toMatchObject({ by: ADMIN.email, after: { allowedRedirectUris: [CALLBACK, OPENCODE] } });

    await eventually(() => panel.getByTestId('sent-uri-state').textContent()).toBe('in Allowed redirect URIs');
    expect(await add.count()).toBe(0);
    expect(await panel.getByRole('list', { name: 'Before you start' }).locator('[data-state="todo"]').count()).toBe(0);
    await screenshot(page, 'connect-opencode-added');
    // The exact-match rule: localhost is another URI, so Claude Code's tab is unchanged.
    await page.getByRole('tab', { name: 'mcp-remote', exact: true }).click();
    expect(await page.getByRole('tabpanel', { name: 'mcp-remote' }).getByTestId('sent-uri-state').textContent()).toBe(
      'in Allowed redirect URIs',
    );
    expectNoErrors(c);
  });

  it('a member sees the button disabled and explained, and the settings API refuses the change', async () => {
    const c = await open('/console/connect?client=opencode', MEMBER, [/status of 403/]);
    const { page } = c;
    const panel = page.getByRole('tabpanel', { name: 'opencode' });
    const add = panel.getByRole('button', { name: `Add ${OPENCODE} to Allowed redirect URIs` });
    await add.waitFor();
    expect(await add.isDisabled()).toBe(true);
    expect(await panel.getByText('Only an admin of Acme Outreach can change Allowed redirect URIs.').count()).toBe(1);
    await screenshot(page, 'connect-member');
    // Even sent by hand from the member's signed-in page (CSRF token and all), the write is refused.
    const status = await page.evaluate(
      async ([workspaceId, uri]) => {
        const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
        const settings = (await (await fetch(`/api/auth/console/workspaces/${workspaceId}/mcp-settings`)).json()) as {
          allowedRedirectUris: string[];
        };
        const response = await fetch(`/api/auth/console/workspaces/${workspaceId}/mcp-settings`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({
            ...settings,
            allowedRedirectUris: [...settings.allowedRedirectUris, uri],
            updatedAt: undefined,
            warnings: undefined,
          }),
        });
        return response.status;
      },
      [SEED_IDS.acme, OPENCODE] as const,
    );
    expect(status).toBe(403);
    expect((await acmeSettings()).allowed_redirect_uris).toEqual([CALLBACK]);
    expectNoErrors(c);
  });
});

describe('the recipes of GitHub Copilot CLI, Qwen Code, Cline and the MCP Inspector CLI (as each was seen to behave)', () => {
  const COPILOT = 'http://127.0.0.1:3118/callback';
  const fixList = (panel: Locator) =>
    panel.getByRole('list', { name: 'What fixes it, in order' }).getByRole('listitem');

  it("Copilot CLI: its random default port, then the admin's step and its own setting, in that order", async () => {
    const c = await open('/console/connect?client=copilot-cli');
    const { page } = c;
    const mcpUrl = e2e.stack.config.openapi.mcpUrl;
    const panel = page.getByRole('tabpanel', { name: 'GitHub Copilot CLI' });
    await eventually(() => panel.getByTestId('sent-uri-state').textContent()).toBe('not in Allowed redirect URIs');
    expect(await panel.getByText('http://127.0.0.1:<port>/callback', { exact: true }).count()).toBe(1);
    expect(await panel.getByText(/the port is random, so no allowlist entry can match it/).count()).toBe(1);
    expect(await panel.getByTestId('sent-uri').textContent()).toBe(COPILOT);
    expect(
      await panel.getByText(/client ID is https:\/\/github\.com\/copilot\/cli\/client-metadata\.json/).count(),
    ).toBe(1);
    const redirectPort =
      '"auth": { "redirectPort": 3118 } in its server entry (~/.copilot/mcp-config.json) fixes the port; host and path are always 127.0.0.1 and /callback';
    expect(await fixList(panel).allTextContents()).toEqual([
      `An admin adds ${COPILOT} to Allowed redirect URIs (exact match).`,
      `In GitHub Copilot CLI: ${redirectPort}.`,
    ]);
    expect(await fixList(panel).first().getAttribute('data-state')).toBe('todo');
    expect(await panel.getByTestId(/^command-\d+$/).allTextContents()).toEqual([
      `copilot mcp add --transport http enginy ${mcpUrl}`,
      'copilot   # trust the folder; it opens the browser by itself, else type: /mcp auth enginy',
    ]);
    // The entry `copilot mcp add` writes, plus the redirect port.
    expect(JSON.parse((await panel.getByTestId('config-file').textContent()) ?? '')).toEqual({
      mcpServers: { enginy: { tools: ['*'], type: 'http', url: mcpUrl, auth: { redirectPort: 3118 } } },
    });
    expect(await panel.getByText('~/.copilot/mcp-config.json', { exact: true }).count()).toBe(1);
    await screenshot(page, 'connect-copilot-cli');

    // The admin's step from the page: the exact 127.0.0.1 URI, never localhost; the client's step stays.
    await panel.getByRole('button', { name: `Add ${COPILOT} to Allowed redirect URIs` }).click();
    await eventually(async () => (await acmeSettings()).allowed_redirect_uris).toEqual([CALLBACK, COPILOT]);
    await eventually(() => fixList(panel).allTextContents()).toEqual([
      `${COPILOT} is already in Allowed redirect URIs: no admin change.`,
      `In GitHub Copilot CLI: ${redirectPort}.`,
    ]);
    expect(await panel.getByTestId('sent-uri-state').textContent()).toBe('in Allowed redirect URIs');
    expectNoErrors(c);
  });

  it("Qwen Code and Cline: allow the fixed URI each sends (Qwen Code's redirectUri is a trap); the Inspector: its own --callback-url, no admin change", async () => {
    const c = await open('/console/connect?client=qwen-code');
    const { page } = c;
    const mcpUrl = e2e.stack.config.openapi.mcpUrl;

    const qwen = page.getByRole('tabpanel', { name: 'Qwen Code' });
    await eventually(() => qwen.getByTestId('sent-uri-state').textContent()).toBe('not in Allowed redirect URIs');
    expect(await qwen.getByTestId('sent-uri').textContent()).toBe('http://localhost:7777/oauth/callback');
    expect(await qwen.getByText('Sent by default').count()).toBe(0);
    expect(await qwen.getByText(/Registers dynamically \(RFC 7591\) as “Qwen Code MCP Client”/).count()).toBe(1);
    expect(await fixList(qwen).allTextContents()).toEqual([
      'An admin adds http://localhost:7777/oauth/callback to Allowed redirect URIs (exact match).',
    ]);
    expect(await qwen.getByRole('note').textContent()).toBe(
      'Not a fix: Do not set "oauth": { "redirectUri": … } in its server entry: Qwen Code then sends that URI, but its listener stays on 127.0.0.1:7777, so after Approve the browser ends at a refused connection.',
    );
    expect(await qwen.getByTestId(/^command-\d+$/).allTextContents()).toEqual([
      `qwen mcp add --transport http enginy ${mcpUrl}`,
      'qwen   # then type /mcp, choose enginy, then Authenticate',
    ]);
    expect(await qwen.getByTestId('config-file').count()).toBe(0);
    await screenshot(page, 'connect-qwen-code');

    await page.getByRole('tab', { name: 'Cline', exact: true }).click();
    const cline = page.getByRole('tabpanel', { name: 'Cline' });
    await eventually(() => cline.getByTestId('sent-uri').textContent()).toBe(
      'http://127.0.0.1:1456/mcp/oauth/callback',
    );
    expect(await cline.getByText(/while port 1456 is taken it uses 1457, then 1458/).count()).toBe(1);
    expect(await fixList(cline).allTextContents()).toEqual([
      'An admin adds http://127.0.0.1:1456/mcp/oauth/callback to Allowed redirect URIs (exact match).',
    ]);
    expect(await cline.getByRole('note').count()).toBe(0);
    expect(await cline.getByTestId(/^command-\d+$/).allTextContents()).toEqual([
      `cline mcp add --transport http --yes enginy ${mcpUrl}`,
      'cline mcp   # choose Authorize OAuth, then enginy',
    ]);
    expect(
      await cline
        .getByRole('button', { name: 'Add http://127.0.0.1:1456/mcp/oauth/callback to Allowed redirect URIs' })
        .isEnabled(),
    ).toBe(true);
    await screenshot(page, 'connect-cline');

    await page.getByRole('tab', { name: 'MCP Inspector', exact: true }).click();
    const inspector = page.getByRole('tabpanel', { name: 'MCP Inspector' });
    await eventually(() => inspector.getByTestId('sent-uri-state').textContent()).toBe('in Allowed redirect URIs');
    expect(await inspector.getByText('http://127.0.0.1:6276/oauth/callback', { exact: true }).count()).toBe(1);
    expect(await inspector.getByTestId('sent-uri').textContent()).toBe(CALLBACK);
    expect(await fixList(inspector).allTextContents()).toEqual([
      `${CALLBACK} is already in Allowed redirect URIs: no admin change.`,
      `In MCP Inspector: --callback-url ${CALLBACK} on every command (it remembers no callback URL), and --relogin once if it registered before with another one: it keeps one client per server URL.`,
    ]);
    const inspectorCli = `npx -y @modelcontextprotocol/inspector@2.12.0 --cli ${mcpUrl} --callback-url ${CALLBACK} --method tools/call --tool-name mcp_whoami`;
    expect(await inspector.getByTestId(/^command-\d+$/).allTextContents()).toEqual([
      inspectorCli,
      `${inspectorCli} --relogin   # if it registered before with its default callback`,
    ]);
    expect(await inspector.getByRole('button', { name: /^Add .* to Allowed redirect URIs$/ }).count()).toBe(0);
    await screenshot(page, 'connect-inspector');
    // Nothing on these three pages changed the settings.
    expect((await acmeSettings()).allowed_redirect_uris).toEqual([CALLBACK]);
    expectNoErrors(c);
  });
});

describe('the consent page for a request wider than the policy', () => {
  // Claude Code's request: every scope the server lists (here wider than Acme's read-only policy), and offline_access.
  const wide = [...READ_SCOPES, 'CONTACTS_WRITE', 'MESSAGING_WRITE', 'offline_access'].join(' ');

  it("shows each client's way to ask for less, Claude Code's first, and the admin's link ticks the missing scopes in the settings", async () => {
    await storeCimdClient(CLAUDE_CIMD, 'Claude Code', 'fetched', [
      'http://localhost/callback',
      'http://127.0.0.1/callback',
    ]);
    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      await refusedConsent(page, authorizeUrl(CLAUDE_CIMD, wide), ADMIN);
      expect(await page.getByRole('alert').first().textContent()).toBe('Requested scopes are not allowed');
      expect(await page.getByTestId('client-source').textContent()).toMatch(/^cached copy from (just now|\d+ s ago)$/);

      // The requesting client, recognised by its metadata document URL: first, open and highlighted.
      const recognised = page.getByTestId('narrow-recognised');
      expect(await recognised.getByRole('heading').textContent()).toBe('Claude Code this application');
      expect(await recognised.locator('.recipe-text').textContent()).toBe(
        `In the "enginy" entry of .mcp.json (project) or ~/.claude.json (user), add "oauth": { "scopes": "${READ_SCOPES.join(' ')}" }, then run claude mcp login enginy again`,
      );
      // The others folded, in the table's order.
      const others = page.locator('details.narrow-hint');
      expect(await others.locator('summary').allTextContents()).toEqual(
        KNOWN_CLIENTS.filter((c) => c.id !== 'claude-code').map((c) => c.name),
      );
      expect(await others.evaluateAll((list) => list.filter((d) => d.hasAttribute('open')).length)).toBe(0);
      expect(await others.filter({ hasText: 'opencode' }).locator('.recipe-text').isVisible()).toBe(false);
      await others.locator('summary', { hasText: 'opencode' }).click();
      expect(await others.filter({ hasText: 'opencode' }).locator('.recipe-text').textContent()).toBe(
        `In the "enginy" entry of opencode.json, set "oauth": { "scope": "${READ_SCOPES.join(' ')}" }, then opencode mcp auth enginy again`,
      );
      await screenshot(page, 'scopes-not-allowed', 'consent');

      // The admin's link: the settings of this workspace, in a new tab, with the missing scopes ticked, not saved.
      const link = page.getByRole('link', { name: 'Add CONTACTS_WRITE, MESSAGING_WRITE to the policy' });
      expect(await link.getAttribute('href')).toBe(
        `/console/settings?addScopes=CONTACTS_WRITE,MESSAGING_WRITE&workspace=${SEED_IDS.acme}`,
      );
      const [settings] = await Promise.all([context.waitForEvent('page'), link.click()]);
      await settings.getByRole('heading', { name: 'MCP settings' }).waitFor();
      const note = settings.getByTestId('preselected-scopes');
      await eventually(() => note.textContent()).toBe(
        'From the consent page: CONTACTS_WRITEMESSAGING_WRITE are ticked in the scope ceiling below but not saved. Review them, then Save settings to allow them, or Discard changes.',
      );
      expect(await settings.getByLabel('CONTACTS_WRITE', { exact: true }).isChecked()).toBe(true);
      expect(await settings.getByLabel('MESSAGING_WRITE', { exact: true }).isChecked()).toBe(true);
      expect(await settings.getByLabel('LISTS_WRITE', { exact: true }).isChecked()).toBe(false);
      expect(await settings.locator('label.highlighted').allTextContents()).toEqual([
        'CONTACTS_WRITE',
        'MESSAGING_WRITE',
      ]);
      expect(await settings.getByRole('status').filter({ hasText: 'Unsaved changes' }).count()).toBe(1);
      expect((await acmeSettings()).policy_scopes).toEqual([...READ_SCOPES]);
      await screenshot(settings, 'settings-add-scopes');

      // Saved there, checked again here: the same request can now be approved.
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await eventually(async () => (await acmeSettings()).policy_scopes).toEqual([
        ...READ_SCOPES,
        'CONTACTS_WRITE',
        'MESSAGING_WRITE',
      ]);
      await eventually(() => note.count()).toBe(0);
      expect(await settings.locator('label.highlighted').count()).toBe(0);
      expect(settings.url()).toBe(`${web()}/console/settings`);
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByRole('button', { name: 'Approve' }).waitFor();
      expect(await page.getByTestId('client-source').textContent()).toMatch(/^cached copy from (just now|\d+ s ago)$/);
      await screenshot(page, 'cimd-client-approve', 'consent');
    } finally {
      await context.close();
    }

    // The attempts list says where the metadata came from.
    const c = await open('/console/attempts');
    const row = c.page
      .getByRole('table', { name: 'Authorization attempts' })
      .locator('tbody tr')
      .filter({ hasText: 'Requested scopes are not allowed' })
      .first();
    await eventually(() => row.textContent()).toContain('Client metadata documentcached copy');
    expect(await row.textContent()).toContain(CLAUDE_CIMD);
    await screenshot(c.page, 'attempts-client-source');
    expectNoErrors(c);
  });

  it('a member (of two workspaces) gets the hints without the admin link; an unknown client gets every hint folded', async () => {
    await e2e.db
      .insertInto('memberships')
      .values({ workspace_id: SEED_IDS.globex, user_id: SEED_IDS.member, role: 'member' })
      .execute();
    const context = await e2e.browser.newContext();
    try {
      const page = await context.newPage();
      const registered = await fetch(`${e2e.stack.config.auth.issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'My own agent',
          redirect_uris: [CALLBACK],
          token_endpoint_auth_method: 'none',
        }),
      });
      const { client_id: clientId } = (await registered.json()) as { client_id: string };
      await refusedConsent(page, authorizeUrl(clientId, 'CONTACTS_READ MESSAGING_WRITE'), MEMBER);
      expect(await page.getByRole('heading', { name: 'Ask for fewer scopes' }).count()).toBe(1);
      expect(await page.getByTestId('narrow-recognised').count()).toBe(0);
      expect(await page.locator('details.narrow-hint summary').allTextContents()).toEqual(
        KNOWN_CLIENTS.map((c) => c.name),
      );
      // Only what it asked for that the policy allows: CONTACTS_READ, not every read scope.
      await page.locator('details.narrow-hint summary', { hasText: 'mcp-remote' }).click();
      expect(
        await page.locator('details.narrow-hint', { hasText: 'mcp-remote' }).locator('.recipe-text').textContent(),
      ).toBe(`Add --static-oauth-client-metadata '{"scope":"CONTACTS_READ"}' to the mcp-remote command`);
      expect(await page.getByRole('link', { name: /to the policy/ }).count()).toBe(0);
    } finally {
      await context.close();
      await e2e.db
        .deleteFrom('memberships')
        .where('workspace_id', '=', SEED_IDS.globex)
        .where('user_id', '=', SEED_IDS.member)
        .execute();
    }
  });
});

describe('the OAuth clients page', () => {
  it('lists the metadata document clients seen in the workspace with where their metadata came from', async () => {
    await storeCimdClient(CLAUDE_CIMD, 'Claude Code', 'fetched', [
      'http://localhost/callback',
      'http://127.0.0.1/callback',
    ]);
    await storeCimdClient(CODEX_CIMD, 'Codex', 'bundled', ['http://127.0.0.1/callback']);
    await storeCimdClient('https://agent.example/client.json', 'agent.example', 'unverified', []);
    await storeCimdClient('https://elsewhere.example/client.json', 'Elsewhere', 'fetched', [
      'http://localhost/callback',
    ]);
    const attempt = (clientId: string, workspaceId: string) =>
      e2e.db
        .insertInto('auth_events')
        .values({
          workspace_id: workspaceId,
          client_id: clientId,
          requested_scopes: [],
          outcome: 'denied',
          reason: 'redirect_uri_not_allowed',
          details: '{}',
        })
        .execute();
    await attempt(CODEX_CIMD, SEED_IDS.acme);
    await attempt('https://agent.example/client.json', SEED_IDS.acme);
    await attempt('https://elsewhere.example/client.json', SEED_IDS.globex);
    await attempt(CLAUDE_CIMD, SEED_IDS.acme);

    const c = await open('/console/clients', MEMBER);
    const table = c.page.getByRole('table', { name: 'Client metadata document clients' });
    const rows = table.locator('tbody tr');
    await eventually(() => rows.count()).toBe(3);
    const claude = rows.filter({ hasText: CLAUDE_CIMD });
    expect(await claude.locator('td').first().textContent()).toBe('Claude Codetested client');
    expect(await rows.filter({ hasText: CODEX_CIMD }).locator('td').first().textContent()).toBe(
      'Codextested client: Codex CLI',
    );
    expect(await claude.getByTestId('metadata-source').textContent()).toMatch(/^fetched (just now|\d+ s ago)$/);
    expect(await claude.locator('td').nth(2).textContent()).toBe('http://localhost/callbackhttp://127.0.0.1/callback');
    expect(await rows.filter({ hasText: CODEX_CIMD }).getByTestId('metadata-source').textContent()).toMatch(
      /^bundled copy \(the client's host could not be reached\)live document last tried (just now|\d+ s ago)$/,
    );
    const unverified = rows
      .filter({ hasText: 'agent.example' })
      .getByTestId('metadata-source')
      .locator('.source-warning');
    expect(await unverified.textContent()).toBe(
      'unverified — the document could not be fetched; development only, loopback redirects only',
    );
    // Seen only in Globex, where this member is not: not listed.
    expect(await table.getByText('elsewhere.example').count()).toBe(0);
    await screenshot(c.page, 'clients-cimd');

    // The admin sees Globex's own.
    const admin = await open('/console/clients');
    await admin.page.getByLabel('Workspace').selectOption({ label: 'Globex Sales (admin)' });
    await eventually(() =>
      admin.page.getByRole('table', { name: 'Client metadata document clients' }).locator('tbody tr').allTextContents(),
    ).toEqual([expect.stringContaining('https://elsewhere.example/client.json')]);
    await admin.page.getByLabel('Workspace').selectOption({ label: 'Acme Outreach (admin)' });
    expectNoErrors(c);
    expectNoErrors(admin);
  });
});
