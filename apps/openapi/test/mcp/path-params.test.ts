// A tool's path parameter is one path segment of that tool's operation: whatever its value, the
// call runs that operation's REST route or none at all (RFC 3986 §3.3 dot-segments, §5.2.4).
import { SEED_IDS } from '@enginy/db/seed';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';
import { recordOperationsRun } from '../helpers/operations-ran.ts';

let t: TestDatabase;
let app: FastifyInstance;
let token: string;
/** The operations a tool call ran: method and path template. */
let ran: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const config = testConfig(t.url);
  app = await buildApp(config, { db: t.db });
  ran = recordOperationsRun(app);
  await app.ready();
  // Every scope allowed, so that only the path decides which operation a call can reach.
  await t.db
    .updateTable('workspace_mcp_settings')
    .set({ policy_scopes: ['ALL'] })
    .where('workspace_id', '=', SEED_IDS.acme)
    .execute();
  token = (await mintAccessToken(t.db, config, { scopes: ['ALL'] })).token;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function addContactsToList(listId: unknown) {
  ran.length = 0;
  // A body `POST /v1/contacts` would take: reaching it creates a contact named Dot Segment.
  const args = { pathParams: { listId }, body: { firstName: 'Dot', lastName: 'Segment' } };
  const response = await app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(rpc('tools/call', { name: 'add_contacts_to_list', arguments: args })),
  });
  return { result: response.json().result as { isError?: boolean; content: { text: string }[] }, ran: [...ran] };
}

describe('MCP path parameters', () => {
  it.each(['..', '.'])(
    'a dot-segment path parameter (%j) is a tool error naming it, and runs no route',
    async (listId) => {
      const { result, ran } = await addContactsToList(listId);
      expect(result).toEqual({
        isError: true,
        content: [
          { type: 'text', text: 'pathParams.listId may not be "." or "..": a path parameter is one path segment' },
        ],
      });
      expect(ran).toEqual([]);
    },
  );

  it.each(['%2e%2e', '%2E.', 'a/b', '../contacts', '..%2fcontacts', '...', 'x/../../contacts'])(
    "path parameter %j stays one segment: the tool's own operation refuses it, and nothing runs",
    async (listId) => {
      const { result, ran } = await addContactsToList(listId);
      // Its own parameter, named by its own schema: the value reached this operation and no other.
      expect(result).toMatchObject({
        isError: true,
        content: [{ type: 'text', text: 'params.listId must match format "uuid" (HTTP 422)' }],
      });
      expect(ran).toEqual([]);
    },
  );

  it('`..`, `.`, `%2e%2e`, `a/b` and `../contacts` in a path parameter never reach another route (no contact is created)', async () => {
    const reached: string[] = [];
    for (const listId of ['..', '.', '%2e%2e', 'a/b', '../contacts']) {
      const { ran } = await addContactsToList(listId);
      reached.push(
        ...ran
          .filter((route) => route !== 'POST /v1/lists/{listId}/contacts')
          .map((route) => `${JSON.stringify(listId)} ran ${route}`),
      );
    }
    expect(reached).toEqual([]);
    const created = await t.db.selectFrom('contacts').select('id').where('last_name', '=', 'Segment').execute();
    expect(created).toEqual([]);
  });
});
