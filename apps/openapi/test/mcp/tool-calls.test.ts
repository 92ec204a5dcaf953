// A POST of one plain tools/call is answered by the endpoint itself (tool-calls.ts); the same call
// in a batch with a ping still goes through the SDK server. Both must answer alike, byte for byte.
import { SEED_IDS } from '@enginy/db/seed';
import { CallToolResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlainToolCall } from '../../src/mcp/tool-calls.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = (await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ', 'LISTS_READ'] })).token;
});
afterAll(() => h.close());

async function post(body: unknown, status = 200) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(body),
  });
  expect(response.statusCode).toBe(status);
  return response.body;
}

/** Each case, and what it must come to: a result, a tool error (isError) or a JSON-RPC error. */
const calls: [string, Record<string, unknown>, 'result' | 'isError' | 'error'][] = [
  ['mcp_whoami', { name: 'mcp_whoami' }, 'result'],
  ['a REST tool', { name: 'search_contacts', arguments: { body: { page: 1, pageSize: 2 } } }, 'result'],
  [
    'a REST tool refused by scope',
    { name: 'create_contact', arguments: { body: { email: 'a@example.com' } } },
    'isError',
  ],
  [
    'a REST tool answering 404',
    { name: 'get_contact', arguments: { pathParams: { contactId: SEED_IDS.admin } } },
    'isError',
  ],
  ['an unknown tool', { name: 'no_such_tool' }, 'error'],
  ['arguments of the wrong shape', { name: 'get_contact', arguments: { pathParams: 'x' } }, 'isError'],
  ['a missing path parameter', { name: 'get_contact', arguments: {} }, 'isError'],
  [
    'a path parameter with no text form',
    { name: 'get_contact', arguments: { pathParams: { contactId: { toString: 1 } } } },
    'isError',
  ],
  ['a progress token in _meta', { name: 'mcp_whoami', _meta: { progressToken: 7 } }, 'result'],
];

describe('tools/call answered by the endpoint and by the SDK server', () => {
  it.each(calls)('answers %s alike either way', async (_case, params, outcome) => {
    const message = rpc('tools/call', params, 42);
    expect(isPlainToolCall(message as JSONRPCMessage)).toBe(true);
    const alone = await post(message);
    const [batched, pong] = JSON.parse(await post([message, rpc('ping', {}, 44)]));
    expect(pong).toEqual({ jsonrpc: '2.0', id: 44, result: {} });
    // mcp_whoami's names and expiry are the same for both: same token, same minute.
    expect(alone).toBe(JSON.stringify(batched));
    const answer = JSON.parse(alone);
    const kind = 'error' in answer ? 'error' : answer.result.isError === true ? 'isError' : 'result';
    expect(kind).toBe(outcome);
    // The endpoint's results keep the shape the SDK would have checked them against.
    if ('result' in answer) expect(CallToolResultSchema.strict().parse(answer.result)).toEqual(answer.result);
  });

  it.each([
    ['no name', { arguments: {} }, 200],
    ['a name that is not a string', { name: 7 }, 200],
    ['arguments that are an array', { name: 'mcp_whoami', arguments: [] }, 200],
    ['a task (MCP tasks)', { name: 'mcp_whoami', task: { ttl: 1000 } }, 200],
    // Refused before either, by the JSON-RPC message check (request-transport.ts).
    ['a _meta that is not an object', { name: 'mcp_whoami', _meta: 'x' }, 400],
    ['a progress token that is neither string nor number', { name: 'mcp_whoami', _meta: { progressToken: true } }, 400],
  ])('leaves a call with %s to the SDK server, which words the error', async (_case, params, status) => {
    const message = rpc('tools/call', params, 43) as JSONRPCMessage;
    expect(isPlainToolCall(message)).toBe(false);
    const answer = JSON.parse(await post(message, status));
    expect(answer.error?.code ?? answer.result?.isError).toBeTruthy();
  });
});
