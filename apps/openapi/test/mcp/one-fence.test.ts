// What the failure lab costs the MCP endpoint while it is off: a request pays at most one fence on the
// process's change feed, whoever asks. mcp_whoami with a remembered token: the token check's fence
// answers the lab too. Counted with the feed's own mark() (the number of fences it has sent).
import { createDb, type Db } from '@enginy/db/client';
import { switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
let cli: Db;
beforeAll(async () => {
  h = await startHarness();
  cli = createDb(h.t.url, { max: 1 });
});
afterAll(async () => {
  await cli?.destroy();
  await h?.close();
});

const post = (body: unknown, token?: string) =>
  h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    payload: JSON.stringify(body),
  });
const whoami = (token: string) => post(rpc('tools/call', { name: 'mcp_whoami', arguments: {} }), token);

/** The fences `request` sends on the process's one change feed. */
async function fences(request: () => Promise<{ statusCode: number }>): Promise<number> {
  const feed = h.app.changeFeed;
  if (feed === undefined || !feed.ready) throw new Error('the app has no listening change feed');
  const before = feed.mark();
  expect((await request()).statusCode).toBeLessThan(500);
  return feed.mark() - before;
}

describe('one fence per request', () => {
  it('listens on the token and lab channels over one connection', () => {
    expect([...(h.app.changeFeed?.listensOn ?? [])].sort()).toEqual(['enginy_failure_lab', 'enginy_token_validity']);
  });

  it('mcp_whoami with a remembered token sends exactly one fence: the token check answers the lab too', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    // The first call reads the token (no fence for it) and fences for the lab; from then on it is remembered.
    expect(await fences(() => whoami(token))).toBe(1);
    for (let call = 0; call < 5; call++) expect(await fences(() => whoami(token))).toBe(1);
  });

  it('a lab switch still applies to the very next mcp_whoami, and then costs one fence again', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    await whoami(token);
    try {
      await switchLabOn(cli, { scenario: 'no-dcr', workspaceId: null, options: {}, remaining: null, by: 'cli:test' });
      const on = await whoami(token);
      expect(on.json().result.structuredContent.failureLab).toEqual([
        { scenario: 'no-dcr', scope: 'global', options: {} },
      ]);
      expect(await fences(() => whoami(token))).toBe(1);
    } finally {
      await switchAllLabOff(cli);
    }
    expect((await whoami(token)).json().result.structuredContent).not.toHaveProperty('failureLab');
  });

  it('a 401 and the resource metadata send one fence each', async () => {
    expect(await fences(() => post(rpc('initialize')))).toBe(1);
    expect(await fences(() => h.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/mcp' }))).toBe(
      1,
    );
  });
});
