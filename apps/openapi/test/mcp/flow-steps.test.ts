// The console's flows (apps/auth/src/console/flows.ts) read two steps from this service: discovery
// (the protected-resource metadata) and a grant's first MCP call, taken from its first usage flush.
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
const stepsOf = (grantId: string) =>
  h.t.db.selectFrom('flow_steps').selectAll().where('grant_id', '=', grantId).orderBy('id').execute();

describe('flow steps of the MCP endpoint', () => {
  it("records a grant's first MCP call once, at its first usage flush, with the tools and no token", async () => {
    const minted = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    expect((await call(minted.token, 'mcp_whoami')).json().result).toBeDefined();
    // Nothing is written on the call itself: the step waits for the flush, like the usage counters.
    expect(await stepsOf(minted.grantId)).toEqual([]);
    await h.app.mcpUsage.flush();
    const [first, ...more] = await stepsOf(minted.grantId);
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      step: 'mcp',
      client_id: minted.clientId,
      status: 200,
      sent: { tools: ['mcp_whoami'] },
    });
    expect(JSON.stringify(first)).not.toContain(minted.token);

    // Later flushes add nothing: it is the first call's step.
    expect((await call(minted.token, 'search_contacts')).json().result).toBeDefined();
    await h.app.mcpUsage.flush();
    expect(await stepsOf(minted.grantId)).toHaveLength(1);
  });

  it('records each read of the protected-resource metadata as discovery, with the caller and its user agent', async () => {
    const userAgent = `discovery-test/${Date.now()}`;
    const answer = await h.app.inject({
      method: 'GET',
      url: '/.well-known/oauth-protected-resource/mcp',
      headers: { 'user-agent': userAgent },
    });
    expect(answer.statusCode).toBe(200);
    const step = await h.t.db
      .selectFrom('flow_steps')
      .selectAll()
      .where('user_agent', '=', userAgent)
      .executeTakeFirstOrThrow();
    expect(step).toMatchObject({
      step: 'discovery',
      source: '127.0.0.1',
      status: 200,
      sent: { path: '/.well-known/oauth-protected-resource/mcp' },
    });
  });
});
