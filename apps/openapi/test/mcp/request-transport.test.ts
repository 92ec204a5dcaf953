import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../src/mcp/request-transport.ts';

const headers = { accept: 'application/json, text/event-stream' };

// Bodies as JSON.parse gives them: common calls, initialize, responses and near misses of each.
const samples: unknown[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mcp_whoami', arguments: {} } },
  { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
  { jsonrpc: '2.0', id: 0, method: '', params: {} },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } },
  { jsonrpc: '2.0', id: 1, method: 'x', params: { _meta: { progressToken: 1 } } },
  { jsonrpc: '2.0', id: 1, method: 'x', params: { _meta: { progressToken: [] } } },
  { jsonrpc: '2.0', id: 1, method: 'x', params: { _meta: null } },
  { jsonrpc: '2.0', id: 1.5, method: 'x' },
  { jsonrpc: '2.0', id: 2 ** 60, method: 'x' },
  { jsonrpc: '2.0', id: null, method: 'x' },
  { jsonrpc: '2.0', id: true, method: 'x' },
  { jsonrpc: '2.0', id: {}, method: 'x' },
  { jsonrpc: '2.0', id: 1, method: 1 },
  { jsonrpc: '2.0', id: 1 },
  { jsonrpc: '1.0', id: 1, method: 'x' },
  { id: 1, method: 'x' },
  { jsonrpc: '2.0', id: 1, method: 'x', params: [] },
  { jsonrpc: '2.0', id: 1, method: 'x', params: null },
  { jsonrpc: '2.0', id: 1, method: 'x', params: 'p' },
  { jsonrpc: '2.0', id: 1, method: 'x', extra: true },
  { jsonrpc: '2.0', id: 1, result: {} },
  { jsonrpc: '2.0', id: 1, result: { _meta: {} } },
  { jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } },
  { jsonrpc: '2.0', error: { code: 1.5, message: 'no' } },
  { jsonrpc: '2.0', id: 1, method: 'x', result: {} },
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
  },
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } },
  null,
  'text',
  42,
];

describe('parsePost', () => {
  it('accepts, refuses and passes on each message exactly as the SDK schema does', () => {
    for (const sample of samples) {
      const parsed = parsePost(headers, sample);
      const schema = JSONRPCMessageSchema.safeParse(sample);
      if (schema.success)
        expect(parsed, JSON.stringify(sample)).toEqual({ ok: true, messages: [schema.data], batch: false });
      else
        expect(parsed, JSON.stringify(sample)).toEqual({
          ok: false,
          status: 400,
          code: -32700,
          message: 'Parse error: Invalid JSON-RPC message',
        });
    }
  });

  it('refuses a batch with one bad message as a whole', () => {
    expect(parsePost(headers, [samples[0], { jsonrpc: '2.0', id: 2, method: 'x', extra: 1 }])).toMatchObject({
      ok: false,
      code: -32700,
    });
  });
});

describe('parsePost and initialize', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
  };
  it('refuses an initialize request that is not alone, and only a real one', () => {
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    expect(parsePost(headers, [initialize, call])).toEqual({
      ok: false,
      status: 400,
      code: -32600,
      message: 'Invalid Request: Only one initialization request is allowed',
    });
    // Not an InitializeRequest (no params): a batch like any other.
    expect(parsePost(headers, [{ jsonrpc: '2.0', id: 1, method: 'initialize' }, call])).toMatchObject({ ok: true });
  });
  it('checks the protocol version header only after initialization', () => {
    const old = { ...headers, 'mcp-protocol-version': '1999-01-01' };
    expect(parsePost(old, initialize)).toMatchObject({ ok: true });
    expect(parsePost(old, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).toMatchObject({ ok: false, status: 400 });
  });
});
