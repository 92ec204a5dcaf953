// One connection's tools/call must not break MCP usage accounting (each grant's last use, calls per
// tool) for the others: against the real stack, whose openapi process writes usage every 2 s.
import { randomBytes } from 'node:crypto';
import { hashSecret } from '@enginy/security/tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { callTool, mcpPost } from '../src/mcp.ts';
import type { Session } from '@enginy/testing/oauth-client';
import { oauthOf } from '../src/oauth.ts';
import { ADMIN, useStack } from '../src/stack.ts';

const h = useStack();
let session: Session;

beforeAll(async () => {
  session = await oauthOf(h.stack.config).signIn(ADMIN);
});

async function connect(): Promise<{ token: string; grantId: string }> {
  const { config } = h.stack;
  const token = (await oauthOf(config).authorizeAndRedeem(session, { scope: 'CONTACTS_READ' })).access_token;
  const row = await h.db
    .selectFrom('oauth_tokens')
    .select('grant_id')
    .where('token_hash', '=', hashSecret(config.tokenHashKey, token))
    .executeTakeFirstOrThrow();
  return { token, grantId: row.grant_id };
}

const usageOf = (grantId: string) =>
  h.db.selectFrom('mcp_tool_usage').select(['tool', 'calls']).where('grant_id', '=', grantId).orderBy('tool').execute();
const lastUsedOf = async (grantId: string) =>
  (
    await h.db.selectFrom('oauth_grants').select('last_used_at').where('id', '=', grantId).executeTakeFirstOrThrow()
  ).last_used_at?.getTime() ?? 0;

describe('MCP usage accounting under unknown tool names', () => {
  it("tools/call with a NUL name and a 4,000-byte name: another grant's usage is still recorded, and no row exists for those names", async () => {
    const { config } = h.stack;
    const attacker = await connect();
    const other = await connect();
    // A NUL PostgreSQL refuses in text; 4,000 incompressible bytes, past a btree entry's 2,704.
    const names = [
      'mcp_whoami\u0000',
      `search_contacts${randomBytes(3_000).toString('base64url')}`,
      ...Array.from({ length: 50 }, (_, i) => `unknown_tool_${i}`),
    ];
    for (const name of names) {
      const response = await mcpPost(config, attacker.token, {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name, arguments: {} },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { error?: { message: string } }).error?.message).toContain('Unknown tool');
    }

    const before = Date.now();
    expect((await callTool(config, other.token, 'mcp_whoami')).isError).toBeUndefined();
    expect((await callTool(config, other.token, 'search_contacts', { body: { pageSize: 1 } })).isError).toBeUndefined();
    // Written within a flush interval or two; never, while a poisoned batch failed every flush.
    await expect
      .poll(() => usageOf(other.grantId), { timeout: 10_000, interval: 250 })
      .toEqual([
        { tool: 'mcp_whoami', calls: 1 },
        { tool: 'search_contacts', calls: 1 },
      ]);
    const first = await lastUsedOf(other.grantId);
    expect(first).toBeGreaterThanOrEqual(before - 1_000);

    // Later flushes too: last use advances, calls add up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await callTool(config, other.token, 'search_contacts', { body: { pageSize: 1 } });
    await expect
      .poll(() => usageOf(other.grantId), { timeout: 10_000, interval: 250 })
      .toEqual([
        { tool: 'mcp_whoami', calls: 1 },
        { tool: 'search_contacts', calls: 2 },
      ]);
    expect(await lastUsedOf(other.grantId)).toBeGreaterThan(first);

    // The attacker's connection was used, but none of the names it sent is a row.
    await expect.poll(() => lastUsedOf(attacker.grantId), { timeout: 10_000, interval: 250 }).toBeGreaterThan(0);
    expect(await usageOf(attacker.grantId)).toEqual([]);
    const long = await h.db
      .selectFrom('mcp_tool_usage')
      .select('tool')
      .where((eb) => eb(eb.fn('length', ['tool']), '>', 64))
      .execute();
    expect(long).toEqual([]);
    await expectAlive(h.stack);
  });
});
