// An integration test against localhost: a real MCP access token from `pnpm mcp-token`, then a tool
// call with the MCP SDK client. The README shows this file as it is (readme-example.test.ts checks).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
let stack: TestStack;

// A stack of its own on free ports; against `pnpm dev` use http://localhost:3001/mcp instead.
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

it('searches contacts with a token from pnpm mcp-token', async () => {
  const mcpUrl = stack.config.openapi.mcpUrl;
  const args = ['-w', '--silent', 'mcp-token', '--mcp-url', mcpUrl, '--scopes', 'CONTACTS_READ'];
  const { stdout: token } = await run('pnpm', args);

  const client = new Client({ name: 'my-integration-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token.trim()}` } },
    }),
  );
  const result = await client.callTool({ name: 'search_contacts', arguments: { body: { page: 1, pageSize: 5 } } });
  expect(result.isError).toBeFalsy();
  expect((result.structuredContent as { data: unknown[] }).data).toHaveLength(5);
  await client.close();
});
