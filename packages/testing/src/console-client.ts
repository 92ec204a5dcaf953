// The console API as a signed-in workspace admin calls it (the web app sends the same through its
// /api/auth proxy): the session cookie, the CSRF header and the web origin. Answers are typed by
// the very schemas the console serializes with (@enginy/contracts/console).
import type {
  ConnectionList as ConnectionListSchema,
  McpSettings as McpSettingsSchema,
  Revoked as RevokedSchema,
} from '@enginy/contracts/console';
import type { LabOverview as LabOverviewSchema } from '@enginy/contracts/console-failure-lab';
import type { FlowList } from '@enginy/contracts/flows';
import type { Static } from 'typebox';

export type McpSettings = Static<typeof McpSettingsSchema>;
export type ConsoleConnection = Static<typeof ConnectionListSchema>['connections'][number];
export type ConsoleFlow = Static<typeof FlowList>['flows'][number];
export type ConsoleLabScenario = Static<typeof LabOverviewSchema>['scenarios'][number];
type SavedFields = Pick<
  McpSettings,
  'enabled' | 'allowedRedirectUris' | 'allowedClientIds' | 'policyScopes' | 'policyActive'
>;

export interface ConsoleSession {
  cookie: string;
  csrfToken: string;
}

export interface ConsoleClientOptions {
  /** Where the console API is: the auth service (or one replica), or the web app's `/api/auth`. */
  base: string;
  /** The web app's origin, which the console requires of every write. */
  webOrigin: string;
  session: ConsoleSession;
  workspaceId: string;
}

export interface ConsoleClient {
  settings(): Promise<McpSettings>;
  /** Saves the settings with `change` applied, everything else as saved. */
  saveSettings(change: Partial<SavedFields>): Promise<McpSettings>;
  connections(): Promise<ConsoleConnection[]>;
  revoke(grantId: string): Promise<Static<typeof RevokedSchema>>;
  /** The Flows page's list, newest first: what each connection's client sent, step by step. */
  flows(query?: { clientId?: string; limit?: number }): Promise<ConsoleFlow[]>;
  /** The failure lab page: each scenario with its switch in force for this workspace. */
  lab(): Promise<ConsoleLabScenario[]>;
  /** The failure lab page's switches: on (for this workspace or globally), off here, all off. */
  labOn(
    scenario: string,
    scope: 'workspace' | 'global',
    options?: Record<string, number>,
  ): Promise<ConsoleLabScenario[]>;
  labOff(scenario: string): Promise<void>;
  labAllOff(): Promise<void>;
}

export function consoleClient({ base, webOrigin, session, workspaceId }: ConsoleClientOptions): ConsoleClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/console/workspaces/${workspaceId}${path}`, {
      method,
      headers: {
        cookie: session.cookie,
        origin: webOrigin,
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
    saveSettings: async (change) => {
      const { enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive } = {
        ...(await settings()),
        ...change,
      };
      const saved: SavedFields = { enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive };
      return call<McpSettings>('PUT', '/mcp-settings', saved);
    },
    connections: async () => (await call<Static<typeof ConnectionListSchema>>('GET', '/connections')).connections,
    revoke: (grantId) => call('POST', `/connections/${grantId}/revoke`, {}),
    flows: async ({ clientId, limit } = {}) => {
      const query = new URLSearchParams({
        ...(clientId === undefined ? {} : { clientId }),
        ...(limit === undefined ? {} : { limit: String(limit) }),
      });
      return (await call<Static<typeof FlowList>>('GET', `/flows?${query}`)).flows;
    },
    lab: async () => (await call<Static<typeof LabOverviewSchema>>('GET', '/failure-lab')).scenarios,
    labOn: async (scenario, scope, options) =>
      (
        await call<Static<typeof LabOverviewSchema>>('PUT', `/failure-lab/${scenario}`, {
          scope,
          ...(options === undefined ? {} : { options }),
        })
      ).scenarios,
    labOff: async (scenario) => {
      await call('DELETE', `/failure-lab/${scenario}`);
    },
    labAllOff: async () => {
      await call('DELETE', '/failure-lab');
    },
  };
}
