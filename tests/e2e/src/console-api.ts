// The console's API as the web app calls it (through its /api/auth proxy, with the session cookie,
// the CSRF header and the web origin): what a workspace admin does in the console, without the pages.
import { SEED_IDS } from '@enginy/db/seed';
import type { TestStack } from '@enginy/stack/test-stack';
import { ADMIN } from './whoami.ts';

export interface McpSettings {
  enabled: boolean;
  allowedRedirectUris: string[];
  allowedClientIds: string[];
  policyScopes: string[];
  policyActive: boolean;
}

export interface ConsoleConnection {
  grantId: string;
  clientId: string;
  clientName: string;
  redirectUri: string;
  grantedScopes: string[];
  effectiveScopes: string[];
}

export interface ConsoleApi {
  settings(): Promise<McpSettings>;
  saveSettings(change: Partial<McpSettings>): Promise<McpSettings>;
  connections(): Promise<ConsoleConnection[]>;
  revoke(grantId: string): Promise<void>;
}

/** Signs in as the seeded admin and acts on `workspaceId` (Acme Outreach by default). */
export async function consoleApi(stack: TestStack, workspaceId: string = SEED_IDS.acme): Promise<ConsoleApi> {
  const web = stack.config.web.url;
  const signIn = await fetch(`${web}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: web },
    body: JSON.stringify(ADMIN),
  });
  if (!signIn.ok) throw new Error(`console sign-in: HTTP ${signIn.status}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${web}/api/auth/console/workspaces/${workspaceId}${path}`, {
      method,
      headers: {
        cookie,
        origin: web,
        'x-csrf-token': csrfToken,
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
    saveSettings: async (change) => {
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
    revoke: async (grantId) => {
      await call('POST', `/connections/${grantId}/revoke`, {});
    },
  };
}
