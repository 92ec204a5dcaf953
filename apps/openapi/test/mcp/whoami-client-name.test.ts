// Security review (L1): a client name stored with bidi or invisible characters (before names
// were cleaned, or written around the cleaning) is shown clean by mcp_whoami, as on the consent page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const whoamiClient = async (token: string) =>
  (
    await h.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
      payload: JSON.stringify(rpc('tools/call', { name: 'mcp_whoami', arguments: {} })),
    })
  ).json().result.structuredContent.client;

describe('mcp_whoami names the client', () => {
  it.each([
    ['without its bidi override and zero-width space', 'Claude Code\u202E\u200Bevil', 'Claude Codeevil'],
    ['by its ID when nothing is left of its name', '\u202E\u200B', undefined],
  ])('%s', async (_case, stored, shown) => {
    const { token, clientId } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    await h.t.db.updateTable('oauth_clients').set({ name: stored }).where('id', '=', clientId).execute();
    expect(await whoamiClient(token)).toEqual({ id: clientId, name: shown ?? clientId });
  });
});
