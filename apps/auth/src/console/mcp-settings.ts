import { McpSettings, McpSettingsInput, WorkspaceParams } from '@enginy/contracts/console';
import { getMcpSettings, type McpSettings as SavedSettings, saveMcpSettings } from '@enginy/db/queries/workspaces';
import { clientIdEntryProblem, MAX_ALLOWLIST_ENTRIES, redirectUriEntryProblem } from '@enginy/policy/allowlist-entry';
import { NEVER_SAVED_SETTINGS, type WorkspacePolicySettings } from '@enginy/policy/authorization';
import { readinessWarnings } from '@enginy/policy/readiness';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../audit.ts';
import { callerOf } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { distinctEntries, scopeEntries } from './entries.ts';
import { isoOrNull } from './wire.ts';

type Settings = Omit<SavedSettings, 'workspaceId' | 'updatedAt'>;

const fields = ({
  enabled,
  allowedRedirectUris,
  allowedClientIds,
  policyScopes,
  policyActive,
}: WorkspacePolicySettings): Settings => ({
  enabled,
  allowedRedirectUris: [...allowedRedirectUris],
  allowedClientIds: [...allowedClientIds],
  policyScopes: [...policyScopes],
  policyActive,
});

function view(settings: WorkspacePolicySettings & { updatedAt?: Date }) {
  return {
    ...fields(settings),
    updatedAt: isoOrNull(settings.updatedAt ?? null),
    warnings: readinessWarnings(settings).map((warning) => warning.message),
  };
}

/** GET/PUT /console/workspaces/:id/mcp-settings: the integration switch, both allowlists and the scope ceiling. */
export const mcpSettingsRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { db, access }) => {
  const path = '/console/workspaces/:id/mcp-settings';
  app.get(
    path,
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: McpSettings } } },
    async (request, reply) => {
      const settings = (await getMcpSettings(db, callerOf(request).workspace.id)) ?? NEVER_SAVED_SETTINGS;
      return reply.header('cache-control', 'no-store').send(view(settings));
    },
  );

  app.put(
    path,
    {
      preValidation: access.admin,
      schema: { params: WorkspaceParams, body: McpSettingsInput, response: { 200: McpSettings } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const sent = request.body;
      const input: Settings = {
        enabled: sent.enabled,
        // Exact match (RFC 6749 §3.1.2.3 as OAuth 2.1 tightens it): stored as typed, compared byte for byte.
        allowedRedirectUris: distinctEntries(
          'allowedRedirectUris',
          sent.allowedRedirectUris,
          MAX_ALLOWLIST_ENTRIES,
          redirectUriEntryProblem,
        ),
        allowedClientIds: distinctEntries(
          'allowedClientIds',
          sent.allowedClientIds,
          MAX_ALLOWLIST_ENTRIES,
          clientIdEntryProblem,
        ),
        policyScopes: scopeEntries('policyScopes', sent.policyScopes),
        policyActive: sent.policyActive,
      };
      const { before, after } = await saveMcpSettings(db, caller.workspace.id, input);
      await audit(
        db,
        request.log,
        adminEvent(caller, 'settings_changed', {
          before: before === undefined ? null : fields(before),
          after: fields(after),
        }),
      );
      return reply.header('cache-control', 'no-store').send(view(after));
    },
  );
};
