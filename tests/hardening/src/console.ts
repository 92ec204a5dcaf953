// The console's API as a signed-in workspace admin calls it (the web app sends the same through its
// /api/auth proxy): sent to `base`, the auth service or one replica of it.
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';
import type { Session } from '@enginy/testing/oauth-client';

export interface McpSettings {
  enabled: boolean;
  allowedRedirectUris: string[];
  allowedClientIds: string[];
  policyScopes: string[];
  policyActive: boolean;
}

export interface ConsoleConnection {
  grantId: string;
  lastUsedAt: string;
  calls: number;
  callsByTool: { tool: string; calls: number; lastCalledAt: string }[];
}

export function consoleAt(config: StackConfig, session: Session, base: string, workspaceId: string = SEED_IDS.acme) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/console/workspaces/${workspaceId}${path}`, {
      method,
      headers: {
        cookie: session.cookie,
        origin: config.web.url,
        'x-csrf-token': session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`console ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const settings = () => call<McpSettings>('GET', '/mcp-settings');
  return {
    settings,
    saveSettings: async (change: Partial<McpSettings>) => {
      const { enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive } = {
        ...(await settings()),
        ...change,
      };
      return call<McpSettings>('PUT', '/mcp-settings', {
        enabled,
        allowedRedirectUris,
        allowedClientIds,
        policyScopes,
        policyActive,
      });
    },
    connections: async () => (await call<{ connections: ConsoleConnection[] }>('GET', '/connections')).connections,
    revoke: (grantId: string) => call<{ revoked: string[] }>('POST', `/connections/${grantId}/revoke`, {}),
  };
}
