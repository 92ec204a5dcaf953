import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { saveMcpSettings } from '@enginy/db/queries/console-settings';
import { getMcpSettings, type McpSettings } from '@enginy/db/queries/workspaces';
import { clientIdEntryProblem, MAX_ALLOWLIST_ENTRIES, redirectUriEntryProblem } from '@enginy/policy/allowlist-entry';
import { readinessWarnings } from '@enginy/policy/readiness';
import type { FastifyInstance } from 'fastify';
import { audit } from '../audit.ts';
import { readAccess, writeAccess } from './access.ts';
import { adminEvent } from './admin-event.ts';
import { body, bool, list, scopeList } from './input.ts';

type Settings = Omit<McpSettings, 'workspaceId' | 'updatedAt'>;
const NEVER_SAVED: Settings = { enabled: false, allowedRedirectUris: [], allowedClientIds: [], policyScopes: [], policyActive: false };

const fields = ({ enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive }: Settings): Settings => ({
  enabled,
  allowedRedirectUris,
  allowedClientIds,
  policyScopes,
  policyActive,
});

function view(s: Settings & { updatedAt?: Date }) {
  return { ...fields(s), updatedAt: s.updatedAt ?? null, warnings: readinessWarnings(s).map((w) => w.message) };
}

/** GET/PUT /console/workspaces/:id/mcp-settings: the integration switch, both allowlists and the scope ceiling. */
export async function consoleMcpSettingsRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string } }>('/console/workspaces/:id/mcp-settings', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    const settings = (await getMcpSettings(db, caller.workspace.id)) ?? NEVER_SAVED;
    return reply.header('cache-control', 'no-store').send(view(settings));
  });

  app.put<{ Params: { id: string } }>('/console/workspaces/:id/mcp-settings', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const b = body(request.body);
    const input: Settings = {
      enabled: bool(b, 'enabled'),
      // Exact match (RFC 6749 §3.1.2.3 as OAuth 2.1 tightens it): stored as typed, compared byte for byte.
      allowedRedirectUris: list(b, 'allowedRedirectUris', MAX_ALLOWLIST_ENTRIES, redirectUriEntryProblem),
      allowedClientIds: list(b, 'allowedClientIds', MAX_ALLOWLIST_ENTRIES, clientIdEntryProblem),
      policyScopes: scopeList(b, 'policyScopes'),
      policyActive: bool(b, 'policyActive'),
    };
    const { before, after } = await saveMcpSettings(db, caller.workspace.id, input);
    await audit(db, request.log, adminEvent(caller, 'settings_changed', { before: before === undefined ? null : fields(before), after: fields(after) }));
    return reply.header('cache-control', 'no-store').send(view(after));
  });
}
