import type { StackConfig } from '@enginy/config/load';

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
} as const;

/** One JSON-RPC POST to /mcp with a bearer token, as a stateless Streamable HTTP client sends it. */
export function mcpPost(
  config: StackConfig,
  accessToken: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(config.openapi.mcpUrl, {
    method: 'POST',
    headers: {
      ...MCP_HEADERS,
      ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
}

/** tools/call; throws on anything but a JSON-RPC result. */
export async function callTool(
  config: StackConfig,
  accessToken: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolResult> {
  const response = await mcpPost(config, accessToken, {
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: args },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`tools/call ${name}: HTTP ${response.status} ${text}`);
  const body = JSON.parse(text) as { result?: ToolResult; error?: unknown };
  if (body.result === undefined) throw new Error(`tools/call ${name}: ${text}`);
  return body.result;
}
