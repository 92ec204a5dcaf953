import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** The seeded admin, a member of both demo workspaces. */
export const ADMIN = { email: 'dev@enginy.local', password: 'enginy-dev' };

/** The parts of mcp_whoami's answer the end-to-end tests read. */
export interface Whoami {
  user: { email: string };
  workspace: { name: string };
  client: { name: string | null };
  grantedScopes: string[];
  checks: { ok: boolean }[];
}

/** Calls mcp_whoami, the product's "verify the connection" step. */
export async function whoami(client: Client): Promise<Whoami> {
  return (await client.callTool({ name: 'mcp_whoami', arguments: {} })).structuredContent as unknown as Whoami;
}
