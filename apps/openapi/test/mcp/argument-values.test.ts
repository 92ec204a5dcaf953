// A path or query parameter is text in the request URL: a tool argument that has no text form (an
// object, an array where the operation takes one value, an array of objects) is a tool error naming
// the argument, never a JavaScript exception surfacing as JSON-RPC -32603.
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { SEED_IDS } from '@enginy/db/seed';
import { testConfig } from '@enginy/testing/config';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';
import { recordOperationsRun } from '../helpers/operations-ran.ts';

let t: TestDatabase;
let app: FastifyInstance;
let token: string;
/** The operations a tool call ran. */
let ran: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const config = testConfig(t.url);
  app = await buildApp(config, { db: t.db });
  ran = recordOperationsRun(app);
  await app.ready();
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

async function call(name: string, args: Record<string, unknown>) {
  ran.length = 0;
  const response = await app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(rpc('tools/call', { name, arguments: args })),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('tool arguments that have no text form', () => {
  it.each([
    ['get_contact', { pathParams: { contactId: { toString: 1 } } }, 'pathParams.contactId'],
    ['get_contact', { pathParams: { contactId: {} } }, 'pathParams.contactId'],
    ['get_contact', { pathParams: { contactId: [SEED_IDS.admin] } }, 'pathParams.contactId'],
    ['get_contact', { pathParams: { contactId: [{ toString: 1 }] } }, 'pathParams.contactId'],
    ['list_lists', { query: { page: { valueOf: 1 } } }, 'query.page'],
    ['list_lists', { query: { page: [[1]] } }, 'query.page'],
    ['list_inbox_threads', { query: { search: { toString: 'x' } } }, 'query.search'],
    [
      'get_inbox_contact_messages',
      { pathParams: { contactId: SEED_IDS.admin }, query: { pageSize: {} } },
      'query.pageSize',
    ],
  ])('%s %j is a tool error naming %s, and runs no operation', async (name, args, argument) => {
    const answer = await call(name, args);
    expect(answer.error).toBeUndefined();
    expect(answer.result).toEqual({
      isError: true,
      content: [
        { type: 'text', text: `${argument} must be a string, a number or a boolean: it is text in the request URL` },
      ],
    });
    expect(ran).toEqual([]);
  });

  it.each([
    ['list_lists', { query: { page: 2, pageSize: '3' } }],
    ['list_inbox_threads', { query: { archived: true, search: null } }],
  ])('%s with text-form values %j still runs', async (name, args) => {
    const answer = await call(name, args);
    expect(answer.result.isError).toBeUndefined();
    expect(ran).toHaveLength(1);
  });
});
