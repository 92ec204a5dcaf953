// MCP usage (each grant's last use, calls per tool) is recorded for every connection whatever one
// connection sends as a tool name: only names in the catalogue are counted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const call = (token: string, name: string) =>
  h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(rpc('tools/call', { name, arguments: {} })),
  });

const usageOf = (grantId: string) =>
  h.t.db
    .selectFrom('mcp_tool_usage')
    .select(['tool', 'calls'])
    .where('grant_id', '=', grantId)
    .orderBy('tool')
    .execute();
const lastUsedOf = async (grantId: string) =>
  (await h.t.db.selectFrom('oauth_grants').select('last_used_at').where('id', '=', grantId).executeTakeFirstOrThrow())
    .last_used_at;

describe('MCP usage after tools/call with names that are no tool', () => {
  it("a NUL name and a 4,000-byte name leave another grant's usage recorded (last_used_at advances, calls per tool counted), and no row for them", async () => {
    const attacker = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const other = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    // PostgreSQL refuses a NUL in text (22021), and an index entry past 2,704 bytes (54000): random
    // base64url, so that the 4,000 bytes do not compress below the limit.
    const poison = [
      'mcp_whoami\u0000',
      `search_contacts${randomBytes(3_000).toString('base64url')}`,
      ...Array.from({ length: 20 }, (_, i) => `no_such_tool_${i}`),
    ];
    for (const name of poison) {
      const answer = (await call(attacker.token, name)).json();
      expect(answer.error.message, name.slice(0, 40)).toContain('Unknown tool');
    }
    await h.app.mcpUsage.flush();

    const before = new Date();
    for (const name of ['mcp_whoami', 'search_contacts', 'search_contacts'])
      expect((await call(other.token, name)).json().result).toBeDefined();
    await h.app.mcpUsage.flush();
    expect(await usageOf(other.grantId)).toEqual([
      { tool: 'mcp_whoami', calls: 1 },
      { tool: 'search_contacts', calls: 2 },
    ]);
    const first = await lastUsedOf(other.grantId);
    expect(first?.getTime()).toBeGreaterThanOrEqual(before.getTime());

    // And every flush after it: the poison is not carried into the next batch.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(other.token, 'search_contacts');
    await h.app.mcpUsage.flush();
    expect(await usageOf(other.grantId)).toEqual([
      { tool: 'mcp_whoami', calls: 1 },
      { tool: 'search_contacts', calls: 3 },
    ]);
    expect((await lastUsedOf(other.grantId))?.getTime()).toBeGreaterThan(first?.getTime() ?? Number.POSITIVE_INFINITY);

    // The attacker's grant was used, but no name it sent became a row.
    expect(await usageOf(attacker.grantId)).toEqual([]);
    expect(await lastUsedOf(attacker.grantId)).not.toBeNull();
    const long = await h.t.db
      .selectFrom('mcp_tool_usage')
      .select('tool')
      .where((eb) => eb(eb.fn('length', ['tool']), '>', 64))
      .execute();
    expect(long).toEqual([]);
  });
});
