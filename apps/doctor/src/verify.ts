// Steps "bearer" and "granted-scopes": the MCP SDK client with the bearer token, as Claude Code does
// after authorizing: initialize, mcp_whoami, tools/list.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { LabNotice } from './report.ts';

export interface Whoami {
  user: { email: string };
  workspace: { name: string };
  client: { id: string; name: string | null };
  grantedScopes: string[];
  effectiveScopes: string[];
  policyScopes: string[];
  checks: { check: string; ok: boolean; detail: string }[];
  /** Failure-lab scenarios in force for this connection; absent while none is. */
  failureLab?: LabNotice[];
}

/** The MCP SDK client, initialized (initialize, notifications/initialized) with the bearer token. */
export async function connectClient(
  mcpUrl: string,
  accessToken: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'enginy-doctor', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
  });
  await client.connect(transport);
  return { client, transport };
}

export async function callWhoami(mcpUrl: string, accessToken: string): Promise<{ whoami: Whoami; tools: string[] }> {
  const { client } = await connectClient(mcpUrl, accessToken);
  try {
    const result = await client.callTool({ name: 'mcp_whoami', arguments: {} });
    if (result.isError) throw new Error(JSON.stringify(result.content));
    const { tools } = await client.listTools();
    return { whoami: result.structuredContent as unknown as Whoami, tools: tools.map((tool) => tool.name) };
  } finally {
    await client.close();
  }
}
