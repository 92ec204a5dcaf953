// The whole story in the console, in Chromium against the real stack: the admin signs in and
// configures the workspace, Claude Code (the MCP SDK client) connects, the connection appears with
// its usage updating, the admin revokes it and the client's next call fails; a denied attempt shows
// up in the attempts list with its reason.
import { createHash, randomBytes } from 'node:crypto';
import { SEED_IDS } from '@enginy/db/seed';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser } from '../src/browser.ts';
import { type ConsolePage, eventually, expectNoErrors, goTo, openConsole, screenshot } from '../src/console-page.ts';
import { MemoryOAuthProvider } from '../src/sdk-provider.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';
import { whoami } from '../src/whoami.ts';
import { mcpStatus } from '../src/real-clients.ts';

const e2e = useStackAndBrowser();
let admin: ConsolePage;
const provider = new MemoryOAuthProvider('Claude Code');
let client: Client;

beforeAll(async () => {
  admin = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connect', ADMIN);
});
afterAll(async () => {
  await client?.close().catch(() => {});
  await admin?.close();
});

const connectClient = async () => {
  const c = new Client({ name: 'e2e-console-story', version: '1.0.0' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(e2e.stack.config.openapi.mcpUrl), { authProvider: provider }),
  );
  return c;
};

/** The browser step for the provider's pending authorization, as the seeded admin. */
async function authorizeInBrowser(): Promise<string> {
  const step = await approveInBrowser((provider.authorizationUrl as URL).href, ADMIN, {
    browser: e2e.browser,
    workspace: 'Acme Outreach',
  });
  expect(step.errorText).toBeUndefined();
  return step.callback?.searchParams.get('code') as string;
}

describe('the console, from setup to revocation', () => {
  it('shows Claude Code first on the Connect page, with the exact command, the live checklist and a waiting indicator', async () => {
    const { page } = admin;
    await eventually(() => page.title()).toBe('Connect a client · Enginy console');
    const command = `claude mcp add --transport http --callback-port 3118 enginy ${e2e.stack.config.openapi.mcpUrl}`;
    expect(await page.getByTestId('command-1').textContent()).toBe(command);
    await page.getByRole('button', { name: 'Copy command 1' }).click();
    await eventually(() => page.evaluate('navigator.clipboard.readText()')).toBe(command);
    const checklist = page.getByRole('list', { name: 'Before you start' });
    await eventually(() => checklist.getByRole('listitem').allTextContents()).toEqual([
      '✓MCP integration enabled: done',
      '✓MCP policy active with at least one scope: done',
      '✓http://localhost:3118/callback in Allowed redirect URIs: done',
      '✓Allowed OAuth client IDs empty for the first connection: done',
    ]);
    await eventually(() => page.getByRole('status').filter({ hasText: 'first connection' }).textContent()).toBe(
      'Waiting for the first connection…',
    );
    await screenshot(page, 'connect-waiting');
    expectNoErrors(admin);
  });

  it('configures the settings: the policy gains CONTACTS_WRITE (which includes CONTACTS_READ)', async () => {
    const { page } = admin;
    await goTo(page, 'MCP settings');
    expect(page.url()).toBe(`${e2e.stack.config.web.url}/console/settings`);
    await page.getByLabel('CONTACTS_WRITE', { exact: true }).check();
    await eventually(() => page.getByLabel('CONTACTS_READ', { exact: true }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved at' }).textContent()).toContain(
      'In effect at once for every live token',
    );
    const row = await e2e.db
      .selectFrom('workspace_mcp_settings')
      .select('policy_scopes')
      .where('workspace_id', '=', SEED_IDS.acme)
      .executeTakeFirstOrThrow();
    expect(row.policy_scopes).toContain('CONTACTS_WRITE');
    expectNoErrors(admin);
  });

  it('turns the waiting indicator green when Claude Code connects', async () => {
    const { page } = admin;
    await goTo(page, 'Connect a client');
    await eventually(() => page.getByRole('status').filter({ hasText: 'first connection' }).count()).toBe(1);

    const transport = new StreamableHTTPClientTransport(new URL(e2e.stack.config.openapi.mcpUrl), {
      authProvider: provider,
    });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    await transport.finishAuth(await authorizeInBrowser());
    client = await connectClient();
    expect((await whoami(client)).user.email).toBe(ADMIN.email);

    const indicator = page.locator('.waiting');
    await eventually(() => indicator.getAttribute('data-state')).toBe('connected');
    expect(await indicator.textContent()).toContain(`Connected: Claude Code for ${ADMIN.email}`);
    await screenshot(page, 'connect-connected');
    expectNoErrors(admin);
  });

  it('lists the connection with its usage, and last used and calls update as the client works', async () => {
    const { page } = admin;
    await goTo(page, 'Connections');
    const table = page.getByRole('table', { name: 'Active connections' });
    const row = table.getByRole('row').filter({ hasText: 'Claude Code' });
    await eventually(() => row.count()).toBe(1);
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[1]).toBe(ADMIN.email);
    expect(cells[2]).toBe('Acme Outreach');
    expect(cells[3]).toBe('http://localhost:3118/callback');
    expect(cells[4]).toContain('CONTACTS_READ');
    // whoami was one call; usage reaches the database within one 2 s flush and the page polls.
    await eventually(() => row.getByTestId('calls').textContent()).toBe('1');
    const lastUsedBefore = await row.getByTestId('last-used').getAttribute('title');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the time shown has 1 s resolution
    await whoami(client);
    await client.callTool({ name: 'get_credits', arguments: {} });
    await eventually(() => row.getByTestId('calls').textContent()).toBe('3');
    expect(await row.getByTestId('last-used').getAttribute('title')).not.toBe(lastUsedBefore);
    await row.getByText('by tool').click();
    expect(await row.locator('.by-tool li').allTextContents()).toEqual(['get_credits: 1', 'mcp_whoami: 2']);
    await screenshot(page, 'connections');
    expectNoErrors(admin);
  });

  it('a settings save applies at once to the live connection: the write scope goes, the read stays', async () => {
    const body = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };
    const text = (r: Awaited<ReturnType<Client['callTool']>>) => (r.content as { text: string }[])[0]?.text;
    expect((await client.callTool({ name: 'create_contact', arguments: { body } })).isError).toBeFalsy();
    const { page } = admin;
    await goTo(page, 'MCP settings');
    await page.getByLabel('CONTACTS_WRITE', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved at' }).textContent()).toContain(
      'In effect at once for every live token, no re-authorization: 1 active connection(s), 1 with scopes left under the new policy.',
    );
    expect(text(await client.callTool({ name: 'create_contact', arguments: { body } }))).toBe(
      'Tool requires scopes: CONTACTS_WRITE',
    );
    expect((await client.callTool({ name: 'get_credits', arguments: {} })).isError).toBeFalsy();
    await goTo(page, 'Connections');
    const row = page
      .getByRole('table', { name: 'Active connections' })
      .getByRole('row')
      .filter({ hasText: 'Claude Code' });
    await eventually(() => row.locator('.cut').textContent()).toBe(
      'Not in effect under the current policy: CONTACTS_WRITE',
    );
    await screenshot(page, 'connections-policy-narrowed');
    expectNoErrors(admin);
  });

  it('a member sees the connection but cannot revoke it', async () => {
    const member = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connections', MEMBER);
    try {
      const row = member.page
        .getByRole('table', { name: 'Active connections' })
        .getByRole('row')
        .filter({ hasText: 'Claude Code' });
      await eventually(() => row.count()).toBe(1);
      expect(await member.page.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
      expectNoErrors(member);
    } finally {
      await member.close();
    }
  });

  it('revokes the connection: it leaves the list and the client’s next call fails', async () => {
    const { page } = admin;
    const accessToken = provider.saved?.access_token as string;
    await page.getByRole('button', { name: `Revoke Claude Code for ${ADMIN.email}` }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Revoked' }).textContent()).toBe(
      'Revoked 1 connection(s): their tokens stopped working at once.',
    );
    await eventually(() => page.getByText('No active connection.', { exact: false }).count()).toBe(1);
    // The access token is refused at once, and the SDK's refresh fails too: the client must sign in again.
    expect(await mcpStatus(e2e.stack.config.openapi.mcpUrl, accessToken)).toBe(401);
    await expect(client.callTool({ name: 'mcp_whoami', arguments: {} })).rejects.toThrow(
      'The refresh token was revoked',
    );
    await screenshot(page, 'connections-revoked');
    expectNoErrors(admin);
  });

  it('"Revoke all for this client" ends every connection of the client', async () => {
    for (let i = 0; i < 2; i++) {
      provider.saved = undefined;
      const transport = new StreamableHTTPClientTransport(new URL(e2e.stack.config.openapi.mcpUrl), {
        authProvider: provider,
      });
      await expect(new Client({ name: 'e2e', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
      await transport.finishAuth(await authorizeInBrowser());
    }
    client = await connectClient();
    const { page } = admin;
    const rows = page
      .getByRole('table', { name: 'Active connections' })
      .getByRole('row')
      .filter({ hasText: 'Claude Code' });
    await eventually(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: 'Revoke all for Claude Code' }).first().click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Revoked' }).textContent()).toBe(
      'Revoked 2 connection(s): their tokens stopped working at once.',
    );
    await eventually(() => rows.count()).toBe(0);
    await expect(client.callTool({ name: 'mcp_whoami', arguments: {} })).rejects.toThrow(
      'The refresh token was revoked',
    );
    expectNoErrors(admin);
  });

  it('a denied attempt (redirect URI not allowlisted) appears in the attempts list with its reason', async () => {
    const redirectUri = 'http://127.0.0.1:3118/callback';
    const registered = await fetch(`${e2e.stack.config.auth.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Claude Code (127.0.0.1)',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
      state: 's',
      resource: e2e.stack.config.openapi.mcpUrl,
    });
    const step = await approveInBrowser(`${e2e.stack.config.auth.issuer}/authorize?${q}`, ADMIN, {
      browser: e2e.browser,
      redirectUri,
    });
    expect(step.errorText).toBe('redirect_uri is not allowed');

    const { page } = admin;
    await goTo(page, 'Authorization attempts');
    await page.getByLabel('Outcome').selectOption('denied');
    const row = page
      .getByRole('table', { name: 'Authorization attempts' })
      .getByRole('row')
      .filter({ hasText: clientId })
      .first();
    await eventually(() => row.count()).toBe(1);
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[1]).toBe(`Claude Code (127.0.0.1)${clientId}`);
    expect(cells[2]).toBe(redirectUri);
    expect(cells[4]).toBe('denied');
    // The reason, what was sent and what is allowlisted: enough to fix it from the console alone.
    expect(cells[5]).toContain('redirect_uri is not allowed');
    expect(cells[5]).toContain(`Redirect URI sent${redirectUri}`);
    expect(cells[5]).toContain('Allowlistedhttp://localhost:3118/callback');
    expect(cells[5]).toContain('differs from the allowed http://localhost:3118/callback only by host');
    // Only denials are listed under that filter.
    expect(await page.locator('tbody tr[data-outcome="allowed"]').count()).toBe(0);
    await screenshot(page, 'attempts-denied');
    expectNoErrors(admin);
  });
});
