import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { getMcpSettings, type McpSettings, saveMcpSettings } from '@enginy/db/queries/workspaces';
import { isValidRedirectUri } from '@enginy/policy/redirect-uri';
import { ALL_SCOPE } from '@enginy/policy/scopes';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit.ts';
import { readAccess, writeAccess } from './access.ts';
import { adminEvent } from './admin-event.ts';
import { absoluteUri, body, bool, clientIdEntry, list, scopeList } from './input.ts';

const MAX_ENTRIES = 50;
type Settings = Omit<McpSettings, 'workspaceId' | 'updatedAt'>;
const NEVER_SAVED: Settings = { enabled: false, allowedRedirectUris: [], allowedClientIds: [], policyScopes: [], policyActive: false };

/** What the admin should know before the first connection fails: each setting that blocks every client. */
export function settingsWarnings(s: Settings): string[] {
  const warnings: string[] = [];
  if (!s.enabled) warnings.push('MCP is disabled: no client can connect, and existing connections stop working');
  if (!s.policyActive) warnings.push('The policy is inactive: no client can be granted anything');
  if (s.policyScopes.length === 0) warnings.push('The policy has no scope: no client can be granted anything');
  if (s.allowedRedirectUris.length === 0) warnings.push('No redirect URI is allowed: every authorization fails with "redirect_uri is not allowed"');
  for (const uri of s.allowedRedirectUris) {
    if (!isValidRedirectUri(uri)) warnings.push(`${uri}: clients cannot register this redirect URI (https, or http on localhost/127.0.0.1 only)`);
  }
  if (s.policyScopes.includes(ALL_SCOPE) && s.policyScopes.length > 1) warnings.push('ALL already grants the full MCP surface; the other scopes add nothing');
  return warnings;
}

const fields = ({ enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive }: Settings): Settings => ({
  enabled,
  allowedRedirectUris,
  allowedClientIds,
  policyScopes,
  policyActive,
});

function view(s: Settings & { updatedAt?: Date }) {
  return { ...fields(s), updatedAt: s.updatedAt ?? null, warnings: settingsWarnings(s) };
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
      allowedRedirectUris: list(b, 'allowedRedirectUris', MAX_ENTRIES, absoluteUri),
      allowedClientIds: list(b, 'allowedClientIds', MAX_ENTRIES, clientIdEntry),
      policyScopes: scopeList(b, 'policyScopes'),
      policyActive: bool(b, 'policyActive'),
    };
    const { before, after } = await saveMcpSettings(db, caller.workspace.id, input);
    await audit(db, request.log, adminEvent(caller, 'settings_changed', { before: before === undefined ? null : fields(before), after: fields(after) }));
    return reply.header('cache-control', 'no-store').send(view(after));
  });
}
