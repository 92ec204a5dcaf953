import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { recordMcpUsage } from '@enginy/db/queries/oauth-grants';
import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const base = `/console/workspaces/${ACME}`;

describe('connections', () => {
  it('lists each live grant with its scopes, effective scopes and calls per tool', async () => {
    const { grantId, clientId } = await c.connect(ACME, 'WORKSPACE_READ CONTACTS_WRITE');
    const at = new Date();
    await recordMcpUsage(
      c.t.db,
      [
        { grantId, tool: 'mcp_whoami', calls: 3, lastCalledAt: at },
        { grantId, tool: 'search_contacts', calls: 4, lastCalledAt: at },
      ],
      new Map([[grantId, at]]),
    );
    // The policy shrinks: granted stays, effective follows the ceiling.
    await c.t.db
      .updateTable('workspace_mcp_settings')
      .set({ policy_scopes: ['CONTACTS_READ'] })
      .where('workspace_id', '=', ACME)
      .execute();
    const response = await c.call('GET', `${base}/connections`, c.member);
    expect(response.statusCode).toBe(200);
    const row = response.json().connections.find((r: { grantId: string }) => r.grantId === grantId);
    expect(row).toMatchObject({
      clientId,
      clientName: expect.stringContaining('Console test'),
      userEmail: 'dev@enginy.local',
      redirectUri: REDIRECT_URI,
      grantedScopes: ['WORKSPACE_READ', 'CONTACTS_WRITE'],
      effectiveScopes: ['CONTACTS_READ'],
      calls: 7,
      callsByTool: [
        { tool: 'mcp_whoami', calls: 3 },
        { tool: 'search_contacts', calls: 4 },
      ],
    });
    expect(new Date(row.lastUsedAt).getTime()).toBe(at.getTime());
    await c.t.db
      .updateTable('workspace_mcp_settings')
      .set({ policy_scopes: ['WORKSPACE_READ', 'CONTACTS_WRITE'] })
      .where('workspace_id', '=', ACME)
      .execute();
  });

  it('needs a session, and membership of the workspace', async () => {
    expect((await c.call('GET', `${base}/connections`, undefined)).statusCode).toBe(401);
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/connections`, c.member)).statusCode).toBe(404);
  });

  it('revoking a connection ends its token at once and is audited', async () => {
    const { grantId, accessToken, clientId } = await c.connect(ACME);
    const response = await c.call('POST', `${base}/connections/${grantId}/revoke`, c.admin);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: [grantId] });
    expect(await c.active(accessToken)).toBeUndefined();
    const listed = (await c.call('GET', `${base}/connections`, c.admin)).json().connections;
    expect(listed.some((r: { grantId: string }) => r.grantId === grantId)).toBe(false);
    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({
      reason: 'connection_revoked',
      client_id: clientId,
      details: { grantIds: [grantId], by: 'dev@enginy.local' },
    });
    // Twice: it is gone.
    expect((await c.call('POST', `${base}/connections/${grantId}/revoke`, c.admin)).statusCode).toBe(404);
  });

  it("another workspace's connection is not found, and stays live", async () => {
    const other = await c.connect(GLOBEX);
    const response = await c.call('POST', `${base}/connections/${other.grantId}/revoke`, c.admin);
    expect(response.statusCode).toBe(404);
    expect(await c.active(other.accessToken)).toBeDefined();
    expect((await c.call('POST', `${base}/connections/not-a-uuid/revoke`, c.admin)).statusCode).toBe(404);
  });

  it('a member, a missing CSRF token or another origin cannot revoke', async () => {
    const { grantId, accessToken } = await c.connect(ACME);
    const member = await c.call('POST', `${base}/connections/${grantId}/revoke`, c.member);
    expect(member.statusCode).toBe(403);
    expect(member.json().error_description).toMatch(/Only an admin of .+; your role is member/);
    expect(
      (await c.call('POST', `${base}/connections/${grantId}/revoke`, c.admin, undefined, { 'x-csrf-token': 'wrong' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await c.call('POST', `${base}/connections/${grantId}/revoke`, c.admin, undefined, {
          origin: 'http://evil.example',
        })
      ).statusCode,
    ).toBe(403);
    expect((await c.call('POST', `${base}/connections/${grantId}/revoke`, undefined)).statusCode).toBe(401);
    expect(await c.active(accessToken)).toBeDefined();
  });

  it('revoke-all ends every connection of that client in this workspace only', async () => {
    const first = await c.connect(ACME);
    // A second grant of the same client, and one of it in the other workspace.
    await c.t.db
      .insertInto('oauth_grants')
      .values({
        workspace_id: ACME,
        user_id: (await c.active(first.accessToken))?.userId as string,
        client_id: first.clientId,
        redirect_uri: REDIRECT_URI,
        scopes: [],
        resource: c.config.openapi.mcpUrl,
      })
      .execute();
    const elsewhere = await c.t.db
      .insertInto('oauth_grants')
      .values({
        workspace_id: GLOBEX,
        user_id: (await c.active(first.accessToken))?.userId as string,
        client_id: first.clientId,
        redirect_uri: REDIRECT_URI,
        scopes: [],
        resource: c.config.openapi.mcpUrl,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const response = await c.call('POST', `${base}/clients/${encodeURIComponent(first.clientId)}/revoke-all`, c.admin);
    expect(response.statusCode).toBe(200);
    expect(response.json().revoked).toHaveLength(2);
    expect(response.json().revoked).toContain(first.grantId);
    expect(await c.active(first.accessToken)).toBeUndefined();
    const globex = await c.t.db
      .selectFrom('oauth_grants')
      .select('revoked_at')
      .where('id', '=', elsewhere.id)
      .executeTakeFirstOrThrow();
    expect(globex.revoked_at).toBeNull();
    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({ reason: 'client_revoked', client_id: first.clientId });
    expect(
      (await c.call('POST', `${base}/clients/${encodeURIComponent(first.clientId)}/revoke-all`, c.admin)).statusCode,
    ).toBe(404);
    expect(
      (await c.call('POST', `${base}/clients/${encodeURIComponent(first.clientId)}/revoke-all`, c.member)).statusCode,
    ).toBe(403);
  });
  it('a connection ended because its member was removed stays listed as ended, with the reason, for 30 days', async () => {
    const removed = await c.connect(ACME);
    const byAdmin = await c.connect(ACME);
    const longAgo = await c.connect(ACME);
    const end = (grantId: string, reason: string, at = new Date()) =>
      c.t.db
        .updateTable('oauth_grants')
        .set({ revoked_at: at, revoked_reason: reason })
        .where('id', '=', grantId)
        .execute();
    await end(removed.grantId, 'member_removed');
    await end(byAdmin.grantId, 'revoked_by_admin');
    await end(longAgo.grantId, 'member_removed', new Date(Date.now() - 31 * 24 * 60 * 60 * 1000));
    const response = await c.call('GET', `${base}/connections`, c.member);
    expect(response.statusCode).toBe(200);
    const { connections, ended, endedWithinDays } = response.json();
    expect(endedWithinDays).toBe(30);
    // Not among the active ones: ended, apart, with the reason in words.
    expect(connections.some((r: { grantId: string }) => r.grantId === removed.grantId)).toBe(false);
    expect(ended).toEqual([
      expect.objectContaining({
        grantId: removed.grantId,
        clientId: removed.clientId,
        userEmail: 'dev@enginy.local',
        reason: 'member_removed',
        reasonText: 'Member removed from the workspace',
        endedAt: expect.any(String),
      }),
    ]);
    // Globex sees none of Acme's.
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/connections`, c.admin)).json().ended).toEqual([]);
  });
});
