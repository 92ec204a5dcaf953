import { SEED_IDS } from '@enginy/db/seed';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, newMember, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/mcp', headers: { ...MCP_HEADERS, ...headers }, payload: JSON.stringify(body) });
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('POST /mcp without a valid token', () => {
  it('answers 401 with the resource metadata and the policy scopes in the challenge', async () => {
    const response = await post(rpc('initialize'));
    expect(response.statusCode).toBe(401);
    const header = response.headers['www-authenticate'] as string;
    expect(header).toMatch(/^Bearer /);
    expect(header).toContain('resource_metadata="http://localhost:3001/.well-known/oauth-protected-resource/mcp"');
    expect(header).toContain('scope="');
    expect(header).toContain('CONTACTS_READ');
    expect(header).not.toContain('CONTACTS_WRITE');
    expect(header).not.toContain('error=');
  });

  it.each([
    ['an unknown token', 'Bearer eat_not-a-real-token'],
    ['a token with the wrong scheme casing still checked', 'bearer eat_unknown'],
  ])('refuses %s with invalid_token and "Token validation failed"', async (_case, authorization) => {
    const response = await post(rpc('initialize'), { authorization });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(response.headers['www-authenticate']).toContain('error_description="Token validation failed"');
    expect(response.json().error_description).toBe('Token validation failed');
  });

  it('refuses an expired token', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'], expiresInSeconds: -5 });
    const response = await post(rpc('initialize'), auth(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().error_description).toBe('Token validation failed');
  });

  it('refuses a token minted for another resource (RFC 8707 audience)', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, {
      scopes: ['CONTACTS_READ'],
      resource: 'http://localhost:9999/mcp',
    });
    const response = await post(rpc('initialize'), auth(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('issued for http://localhost:9999/mcp');
  });

  it('refuses a token whose workspace has MCP disabled', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['WORKSPACE_READ'], workspace: 'globex' });
    const response = await post(rpc('initialize'), auth(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('MCP integration is disabled');
  });

  it('never reads a token from the query string', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await h.app.inject({
      method: 'POST',
      url: `/mcp?access_token=${token}`,
      headers: MCP_HEADERS,
      payload: JSON.stringify(rpc('initialize')),
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a foreign Origin or Host (DNS rebinding)', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    expect((await post(rpc('initialize'), { ...auth(token), origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(rpc('initialize'), { ...auth(token), host: 'evil.example:3001' })).statusCode).toBe(403);
  });

  // The conformance suite's localhost-host-valid-accepted, addressed as 127.0.0.1 or [::1]: the same
  // server under another loopback name is not a rebinding page (same scheme and port only).
  it.each([
    ['localhost:3001', 'http://localhost:3001', 200],
    ['127.0.0.1:3001', 'http://127.0.0.1:3001', 200],
    ['[::1]:3001', 'http://[::1]:3001', 200],
    ['localhost:3001', 'http://127.0.0.1:5173', 200],
    ['127.0.0.1:3001', 'http://127.0.0.1:3002', 403],
    ['127.0.0.1:3001', 'https://127.0.0.1:3001', 403],
    ['127.0.0.1:3001', 'http://localhost.evil.example:3001', 403],
    ['127.0.0.1:3001', 'null', 403],
  ])('Host %s with Origin %s → %i', async (host, origin, status) => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    expect(
      (
        await post(
          rpc('initialize', {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '1' },
          }),
          { ...auth(token), host, origin },
        )
      ).statusCode,
    ).toBe(status);
  });

  it('answers GET and DELETE with 405', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await h.app.inject({ method, url: '/mcp' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
    }
  });
});

describe('protected resource metadata', () => {
  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    'is served at %s',
    async (url) => {
      const response = await h.app.inject(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      const body = response.json();
      expect(body.resource).toBe('http://localhost:3001/mcp');
      expect(body.authorization_servers).toEqual(['http://localhost:3002']);
      expect(body.bearer_methods_supported).toEqual(['header']);
      expect(body.scopes_supported).not.toContain('offline_access');
    },
  );

  // Claude Code, Codex and Gemini CLI request the whole scopes_supported on `mcp login`: listing
  // every Enginy scope made them ask for WRITE scopes the seeded read-only policy refuses.
  it('lists what the enabled policies grant, as the 401 challenge does, so a client asking for all of it is granted', async () => {
    const body = (await h.app.inject('/.well-known/oauth-protected-resource/mcp')).json();
    expect(body.scopes_supported).toEqual([...READ_SCOPES].sort());
    expect(body.scopes_supported).not.toContain('MESSAGING_WRITE');
    expect(body.scopes_supported).not.toContain('ALL');
    const challenge = (await post(rpc('initialize'))).headers['www-authenticate'] as string;
    expect(challenge).toContain(`scope="${body.scopes_supported.join(' ')}"`);
  });

  it('follows a policy change, and is omitted while no workspace grants anything', async () => {
    const scopesSupported = async () =>
      (await h.app.inject('/.well-known/oauth-protected-resource')).json().scopes_supported as string[] | undefined;
    const acme = await h.t.db
      .selectFrom('workspace_mcp_settings')
      .selectAll()
      .where('workspace_id', '=', SEED_IDS.acme)
      .executeTakeFirstOrThrow();
    try {
      await h.t.db
        .updateTable('workspace_mcp_settings')
        .set({ policy_scopes: ['CONTACTS_WRITE'] })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
      await expect.poll(scopesSupported, { timeout: 3_000 }).toEqual(['CONTACTS_WRITE']);
      await h.t.db
        .updateTable('workspace_mcp_settings')
        .set({ enabled: false })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
      await expect.poll(scopesSupported, { timeout: 3_000 }).toBeUndefined();
    } finally {
      await h.t.db
        .updateTable('workspace_mcp_settings')
        .set({ policy_scopes: acme.policy_scopes, enabled: acme.enabled })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
    }
    await expect.poll(scopesSupported, { timeout: 3_000 }).toEqual([...READ_SCOPES].sort());
  });
});

describe('POST /mcp with a valid token', () => {
  it('initializes statelessly (no session id) and lists mcp_whoami and the generated tools', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const init = await post(
      rpc('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'route-test', version: '1' },
      }),
      auth(token),
    );
    expect(init.statusCode).toBe(200);
    expect(init.headers['mcp-session-id']).toBeUndefined();
    expect(init.json().result.serverInfo.name).toBe('enginy');

    const list = await post(rpc('tools/list'), auth(token));
    const names = list.json().result.tools.map((tool: { name: string }) => tool.name);
    expect(names[0]).toBe('mcp_whoami');
    expect(names).toContain('search_contacts');
    expect(names).toContain('send_inbox_message');
    expect(names).toHaveLength(h.app.mcpTools().length + 1);
  });

  it('runs a read tool through the REST route and returns real rows as structured content', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await post(
      rpc('tools/call', { name: 'search_contacts', arguments: { body: { page: 1, pageSize: 5 } } }),
      auth(token),
    );
    const result = response.json().result;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent.data).toHaveLength(5);
    expect(result.structuredContent.meta.total).toBeGreaterThan(100);
    expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
  });

  it('refuses a tool outside the effective scopes with "Tool requires scopes: ..."', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await post(
      rpc('tools/call', { name: 'create_contact', arguments: { body: { firstName: 'Ada', lastName: 'Lovelace' } } }),
      auth(token),
    );
    const result = response.json().result;
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe('Tool requires scopes: CONTACTS_WRITE');
  });

  it('cuts granted scopes down to the current policy ceiling at once', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_WRITE'] });
    // Acme's seeded policy is read-only: the granted WRITE counts only as READ.
    const write = await post(
      rpc('tools/call', { name: 'create_contact', arguments: { body: { firstName: 'Ada', lastName: 'Lovelace' } } }),
      auth(token),
    );
    expect(write.json().result.content[0].text).toBe('Tool requires scopes: CONTACTS_WRITE');
    const read = await post(rpc('tools/call', { name: 'get_credits', arguments: {} }), auth(token));
    expect(read.json().result.content[0].text).toBe('Tool requires scopes: WORKSPACE_READ');
  });

  it('reports bad arguments as tool errors, and REST validation errors with their message', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const missing = await post(rpc('tools/call', { name: 'get_contact', arguments: {} }), auth(token));
    expect(missing.json().result).toMatchObject({
      isError: true,
      content: [{ text: 'Missing path parameter: pathParams.contactId' }],
    });
    const unknownArg = await post(
      rpc('tools/call', { name: 'get_contact', arguments: { contactId: 'x' } }),
      auth(token),
    );
    expect(unknownArg.json().result.content[0].text).toContain('Unknown argument: contactId');
    const invalid = await post(
      rpc('tools/call', { name: 'search_contacts', arguments: { body: { page: 0 } } }),
      auth(token),
    );
    expect(invalid.json().result.isError).toBe(true);
    expect(invalid.json().result.content[0].text).toMatch(/HTTP 4\d\d/);
    const unknownTool = await post(rpc('tools/call', { name: 'no_such_tool', arguments: {} }), auth(token));
    expect(unknownTool.json().error.message).toContain('Unknown tool: no_such_tool');
  });

  it('answers mcp_whoami with the user, workspace, client, scopes and the verification checklist', async () => {
    const { token, clientId, grantId } = await mintAccessToken(h.t.db, h.config, {
      scopes: ['CONTACTS_READ', 'CONTACTS_WRITE'],
    });
    const response = await post(rpc('tools/call', { name: 'mcp_whoami', arguments: {} }), auth(token));
    const who = response.json().result.structuredContent;
    expect(who.user.email).toBe('dev@enginy.local');
    expect(who.workspace).toMatchObject({ id: SEED_IDS.acme, slug: 'acme', name: 'Acme Outreach' });
    expect(who.client).toEqual({ id: clientId, name: 'Route test client' });
    expect(who.grantedScopes).toEqual(['CONTACTS_READ', 'CONTACTS_WRITE']);
    expect(who.effectiveScopes).toEqual(['CONTACTS_READ']);
    const scopesCheck = who.checks.find((c: { check: string }) => c.check.startsWith('The granted scopes'));
    expect(scopesCheck.ok).toBe(false);
    expect(scopesCheck.detail).toContain('CONTACTS_WRITE');
    expect(who.checks.filter((c: { ok: boolean }) => c.ok)).toHaveLength(3);

    await h.app.mcpUsage.flush();
    const usage = await h.t.db.selectFrom('mcp_tool_usage').selectAll().where('grant_id', '=', grantId).execute();
    expect(usage).toEqual([expect.objectContaining({ tool: 'mcp_whoami', calls: 1 })]);
  });

  it('answers 403 insufficient_scope when the policy leaves the token no scope at all', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['MESSAGING_WRITE'] });
    await h.t.db
      .updateTable('workspace_mcp_settings')
      .set({ policy_active: false })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    try {
      const response = await post(rpc('initialize'), auth(token));
      expect(response.statusCode).toBe(403);
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(response.json().message).toContain('policy is inactive');
    } finally {
      await h.t.db
        .updateTable('workspace_mcp_settings')
        .set({ policy_active: true })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
    }
  });

  it('speaks Streamable HTTP: batches, notifications, Accept and protocol-version checks', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const batch = await post(
      [rpc('ping', {}, 1), rpc('tools/call', { name: 'mcp_whoami', arguments: {} }, 2)],
      auth(token),
    );
    expect(batch.statusCode).toBe(200);
    expect(batch.json().map((r: { id: number }) => r.id)).toEqual([1, 2]);
    const notification = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, auth(token));
    expect(notification.statusCode).toBe(202);
    const notAcceptable = await post(rpc('ping'), { ...auth(token), accept: 'application/json' });
    expect(notAcceptable.statusCode).toBe(406);
    const badVersion = await post(rpc('ping'), { ...auth(token), 'mcp-protocol-version': '1999-01-01' });
    expect(badVersion.statusCode).toBe(400);
    expect(badVersion.json().error.message).toContain('Unsupported protocol version');
    const initInBatch = await post(
      [
        rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } }),
        rpc('ping', {}, 2),
      ],
      auth(token),
    );
    expect(initInBatch.statusCode).toBe(400);
    // Two requests of one batch sharing an id could not be told apart in the answer.
    const sameId = await post(
      [rpc('ping', {}, 7), rpc('tools/call', { name: 'mcp_whoami', arguments: {} }, 7)],
      auth(token),
    );
    expect(sameId.statusCode).toBe(400);
    expect(sameId.json().error).toEqual({
      code: -32600,
      message: 'Invalid Request: each request of a batch needs its own id (7 is used twice)',
    });
    // A stateless server ignores cancellation (MCP allows it): the request is answered, the POST never left hanging.
    const cancelled = await post(
      [
        rpc('tools/call', { name: 'mcp_whoami', arguments: {} }, 3),
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3 } },
      ],
      auth(token),
    );
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().map((r: { id: number }) => r.id)).toEqual([3]);
    const notJsonRpc = await post({ hello: 'world' }, auth(token));
    expect(notJsonRpc.statusCode).toBe(400);
    expect(notJsonRpc.json().error.code).toBe(-32700);
  });

  it('keeps concurrent requests of different connections apart, though they all use id 1', async () => {
    const connections = await Promise.all(
      [['CONTACTS_READ'], ['LISTS_READ'], ['CONTACTS_READ', 'LISTS_READ']].map(async (scopes) => ({
        scopes,
        ...(await mintAccessToken(h.t.db, h.config, { scopes })),
      })),
    );
    const calls = connections.flatMap((connection) =>
      Array.from({ length: 8 }, async (_, i) => {
        const whoami = post(rpc('tools/call', { name: 'mcp_whoami', arguments: {} }, 1), auth(connection.token));
        const lists = post(
          [rpc('tools/call', { name: 'list_lists', arguments: {} }, 1), rpc('ping', {}, 10 + i)],
          auth(connection.token),
        );
        const me = (await whoami).json();
        expect(me.id).toBe(1);
        expect(me.result.structuredContent.client.id).toBe(connection.clientId);
        expect(me.result.structuredContent.grantedScopes).toEqual(connection.scopes);
        const [listed, pong] = (await lists).json();
        expect([listed.id, pong.id]).toEqual([1, 10 + i]);
        const allowed = connection.scopes.includes('LISTS_READ');
        expect(listed.result.isError, connection.scopes.join(' ')).toBe(allowed ? undefined : true);
        if (!allowed) expect(listed.result.content[0].text).toBe('Tool requires scopes: LISTS_READ');
      }),
    );
    await Promise.all(calls);
  });

  it('applies a policy change and a revocation to the very next call of a token already in use', async () => {
    const { token, grantId } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ', 'LISTS_READ'] });
    const call = () => post(rpc('tools/call', { name: 'list_lists', arguments: {} }), auth(token));
    expect((await call()).json().result.isError).toBeUndefined();
    await h.t.db
      .updateTable('workspace_mcp_settings')
      .set({ policy_scopes: ['CONTACTS_READ'] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    try {
      expect((await call()).json().result.content[0].text).toBe('Tool requires scopes: LISTS_READ');
    } finally {
      await h.t.db
        .updateTable('workspace_mcp_settings')
        .set({ policy_scopes: ['CONTACTS_READ', 'LISTS_READ', 'WORKSPACE_READ'] })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
    }
    expect((await call()).json().result.isError).toBeUndefined();
    await h.t.db.updateTable('oauth_grants').set({ revoked_at: new Date() }).where('id', '=', grantId).execute();
    const revoked = await call();
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error_description).toBe('Token validation failed');
  });

  it('refuses, at the very next call, a token whose user was removed from the workspace (401, the body says why)', async () => {
    const userId = await newMember(h.t.db, 'member');
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['LISTS_READ'], userId });
    const call = () => post(rpc('tools/call', { name: 'list_lists', arguments: {} }), auth(token));
    const before = await call();
    expect(before.statusCode).toBe(200);
    expect(before.json().result.structuredContent.data.length).toBeGreaterThan(0);

    await h.t.db
      .deleteFrom('memberships')
      .where('workspace_id', '=', SEED_IDS.acme)
      .where('user_id', '=', userId)
      .execute();
    for (const body of [
      rpc('tools/call', { name: 'list_lists', arguments: {} }),
      rpc('tools/call', { name: 'mcp_whoami', arguments: {} }),
    ]) {
      const after = await post(body, auth(token));
      expect(after.statusCode).toBe(401);
      expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(after.headers['www-authenticate']).toContain('error_description="Token validation failed"');
      expect(after.json()).toMatchObject({
        error_description: 'Token validation failed',
        message: 'Token validation failed: the user is no longer a member of this workspace.',
      });
      expect(after.body).not.toContain('structuredContent');
    }
  });

  it('keeps serving a token whose user changed role (admin → member): MCP is not admin-only', async () => {
    const userId = await newMember(h.t.db, 'admin');
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['LISTS_READ'], userId });
    const call = () => post(rpc('tools/call', { name: 'list_lists', arguments: {} }), auth(token));
    expect((await call()).statusCode).toBe(200);
    await h.t.db.updateTable('memberships').set({ role: 'member' }).where('user_id', '=', userId).execute();
    const after = await call();
    expect(after.statusCode).toBe(200);
    expect(after.json().result.isError).toBeUndefined();
    expect(after.json().result.structuredContent.data.length).toBeGreaterThan(0);
  });
});
