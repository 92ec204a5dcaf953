// What Claude Code does, end to end against the running stack: the MCP SDK client discovers the
// authorization server from the 401, registers, the person signs in and approves in Chromium, and
// the client calls tools with its bearer token; then the admin changes the workspace policy.
import { createDb, type Db } from '@enginy/db/client';
import { SEED_IDS } from '@enginy/db/seed';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser, sharedBrowser } from '../src/browser.ts';
import { ADMIN, whoami } from '../src/whoami.ts';
import { MemoryOAuthProvider } from '../src/sdk-provider.ts';

let stack: TestStack;
let browser: Browser;
let db: Db;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await sharedBrowser();
  db = createDb(stack.databaseUrl, { max: 2 });
});
afterAll(async () => {
  await db?.destroy();
  await stack?.close();
});

const setPolicy = (values: { policy_scopes?: string[]; enabled?: boolean }) =>
  db.updateTable('workspace_mcp_settings').set(values).where('workspace_id', '=', SEED_IDS.acme).execute();

/** The browser step for whatever authorization URL the provider was sent to. */
async function browserStep(provider: MemoryOAuthProvider, onConsent?: (page: Page) => Promise<void>): Promise<string> {
  const step = await approveInBrowser((provider.authorizationUrl as URL).href, ADMIN, {
    browser,
    workspace: 'Acme Outreach',
    onConsent,
  });
  expect(step.errorText).toBeUndefined();
  return step.callback?.searchParams.get('code') as string;
}

async function connected(provider: MemoryOAuthProvider): Promise<Client> {
  const client = new Client({ name: 'e2e-claude-like', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.config.openapi.mcpUrl), { authProvider: provider }),
  );
  return client;
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[])[0]?.text ?? '';

describe('Claude Code-like client on the MCP endpoint', () => {
  const provider = new MemoryOAuthProvider('Claude Code');

  it('discovers, registers, signs in through the browser, and lists the tools', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(stack.config.openapi.mcpUrl), {
      authProvider: provider,
    });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    const authorizeUrl = provider.authorizationUrl as URL;
    expect(authorizeUrl.origin).toBe(stack.config.auth.issuer);
    // The 401 challenge named the policy's scopes; the client asked for exactly those.
    expect(authorizeUrl.searchParams.get('scope')?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
    await transport.finishAuth(await browserStep(provider));

    const client = await connected(provider);
    const { tools } = await client.listTools();
    expect(tools[0]?.name).toBe('mcp_whoami');
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['search_contacts', 'create_contact', 'send_inbox_message', 'get_credits']),
    );
    expect(tools.find((t) => t.name === 'search_contacts')?.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'get_credits')?.annotations?.readOnlyHint).toBe(true);
    await client.close();
  });

  it('verifies the connection with mcp_whoami and reads real seeded rows', async () => {
    const client = await connected(provider);
    const who = await whoami(client);
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect(who.client.name).toBe('Claude Code');
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);

    const contacts = await client.callTool({
      name: 'search_contacts',
      arguments: { body: { page: 1, pageSize: 10, filters: { search: 'a' } } },
    });
    const page = contacts.structuredContent as { data: { firstName: string }[]; meta: { total: number } };
    expect(page.data).toHaveLength(10);
    expect(page.meta.total).toBeGreaterThan(10);
    await client.close();
  });

  it('refuses a write tool the grant lacks, even after the admin widens the policy; step-up gets it', async () => {
    const body = { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' };
    let client = await connected(provider);
    const denied = await client.callTool({ name: 'create_contact', arguments: { body } });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toBe('Tool requires scopes: CONTACTS_WRITE');

    await setPolicy({ policy_scopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    expect(text(await client.callTool({ name: 'create_contact', arguments: { body } }))).toBe(
      'Tool requires scopes: CONTACTS_WRITE',
    );
    await client.close();

    // Step-up: authorize again asking for the write scope.
    provider.saved = undefined;
    expect(
      await auth(provider, {
        serverUrl: stack.config.openapi.mcpUrl,
        scope: [...READ_SCOPES, 'CONTACTS_WRITE'].join(' '),
      }),
    ).toBe('REDIRECT');
    // The consent page sets the new write scope apart from the reads this client already holds.
    const consentPage = async (page: Page) => {
      expect(await page.getByRole('list', { name: 'New scopes' }).textContent()).toBe(
        'CONTACTS: CONTACTS_WRITE (can change data)',
      );
      const kept = await page.getByRole('list', { name: 'Already granted scopes' }).textContent();
      for (const scope of READ_SCOPES) expect(kept).toContain(scope);
      expect(kept).not.toContain('CONTACTS_WRITE');
    };
    expect(
      await auth(provider, {
        serverUrl: stack.config.openapi.mcpUrl,
        authorizationCode: await browserStep(provider, consentPage),
      }),
    ).toBe('AUTHORIZED');
    client = await connected(provider);
    const created = await client.callTool({ name: 'create_contact', arguments: { body } });
    expect(created.isError).toBeFalsy();
    expect((created.structuredContent as { data: { firstName: string } }).data.firstName).toBe('Ada');

    // The policy narrows: the same grant loses the write at once, and gets it back without re-authorizing.
    await setPolicy({ policy_scopes: [...READ_SCOPES] });
    expect(text(await client.callTool({ name: 'create_contact', arguments: { body } }))).toBe(
      'Tool requires scopes: CONTACTS_WRITE',
    );
    await setPolicy({ policy_scopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    expect((await client.callTool({ name: 'create_contact', arguments: { body } })).isError).toBeFalsy();
    await client.close();
  });

  it('records last use and calls per tool for the console', async () => {
    const callsPerTool = async () => {
      const rows = await db
        .selectFrom('mcp_tool_usage')
        .innerJoin('oauth_grants', 'oauth_grants.id', 'mcp_tool_usage.grant_id')
        .select(['mcp_tool_usage.tool', 'mcp_tool_usage.calls'])
        .where('oauth_grants.workspace_id', '=', SEED_IDS.acme)
        .execute();
      const calls = (tool: string) => rows.filter((row) => row.tool === tool).reduce((sum, row) => sum + row.calls, 0);
      return { mcp_whoami: calls('mcp_whoami'), create_contact: calls('create_contact') };
    };
    // Usage reaches the database within one 2 s flush (polled, not slept).
    await expect.poll(callsPerTool, { timeout: 10_000, interval: 100 }).toEqual({ mcp_whoami: 1, create_contact: 5 });
  });

  it('stops every token when the admin disables MCP, with a clear message', async () => {
    const accessToken = provider.saved?.access_token as string;
    await setPolicy({ enabled: false });
    try {
      const response = await fetch(stack.config.openapi.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error_description="Token validation failed"');
      expect(((await response.json()) as { message: string }).message).toContain(
        'MCP integration is disabled for this workspace',
      );
      await expect(connected(provider)).rejects.toThrow();
    } finally {
      await setPolicy({ enabled: true });
    }
  });
});
