import { ClientParams, ConnectionList, GrantParams, Revoked, WorkspaceParams } from '@enginy/contracts/console';
import {
  findLiveWorkspaceGrant,
  listConnections,
  listEndedConnections,
  liveGrantIdsOfClient,
  revokeGrant,
} from '@enginy/db/queries/oauth-grants';
import { getMcpSettings } from '@enginy/db/queries/workspaces';
import { cleanClientName } from '@enginy/policy/client-name';
import { ceilingInForce, effectiveScopes } from '@enginy/policy/effective-scopes';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../audit.ts';
import { callerOf, requireUuid } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { NotFound } from '../errors/classes.ts';
import { iso } from './wire.ts';

/**
 * Connections that ended on their own rather than by an admin's Revoke here (which the admin saw
 * happen): kept on the page, marked ended with the reason, for this many days.
 */
const ENDED_SHOWN = { member_removed: 'Member removed from the workspace' } as const;
const ENDED_WITHIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Active connections (live grants) with usage, and revocation: one connection, or every one of a client. */
export const connectionRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { db, access }) => {
  app.get(
    '/console/workspaces/:id/connections',
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: ConnectionList } } },
    async (request, reply) => {
      const workspaceId = callerOf(request).workspace.id;
      const [grants, settings, ended] = await Promise.all([
        listConnections(db, workspaceId),
        getMcpSettings(db, workspaceId),
        listEndedConnections(db, workspaceId, {
          reasons: Object.keys(ENDED_SHOWN),
          since: new Date(Date.now() - ENDED_WITHIN_DAYS * DAY_MS),
        }),
      ]);
      // What each grant may do today, as the MCP endpoint sees it (empty when MCP is off or the policy inactive).
      const ceiling = ceilingInForce(settings);
      const connections = grants.map((c) => ({
        ...c,
        // Stored names may predate the cleaning: shown as the consent page shows them.
        clientName: cleanClientName(c.clientName, c.clientId),
        effectiveScopes: effectiveScopes(c.grantedScopes, ceiling),
        createdAt: iso(c.createdAt),
        lastUsedAt: iso(c.lastUsedAt),
        callsByTool: c.callsByTool.map((t) => ({ ...t, lastCalledAt: iso(t.lastCalledAt) })),
      }));
      return reply.header('cache-control', 'no-store').send({
        connections,
        ended: ended.map((c) => ({
          ...c,
          createdAt: iso(c.createdAt),
          lastUsedAt: iso(c.lastUsedAt),
          endedAt: iso(c.endedAt),
          reasonText: ENDED_SHOWN[c.reason as keyof typeof ENDED_SHOWN] ?? c.reason,
        })),
        endedWithinDays: ENDED_WITHIN_DAYS,
      });
    },
  );

  app.post(
    '/console/workspaces/:id/connections/:grantId/revoke',
    { preValidation: access.admin, schema: { params: GrantParams, response: { 200: Revoked } } },
    async (request, reply) => {
      const caller = callerOf(request);
      // Another workspace's grant is "not found" here: no cross-workspace access.
      const grant = await findLiveWorkspaceGrant(
        db,
        caller.workspace.id,
        requireUuid(request.params.grantId, 'Connection'),
      );
      if (grant === undefined) throw new NotFound('Connection not found or already revoked');
      await revokeGrant(db, grant.id, 'revoked_by_admin');
      await audit(
        db,
        request.log,
        adminEvent(
          caller,
          'connection_revoked',
          { grantIds: [grant.id] },
          { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: grant.scopes },
        ),
      );
      return reply.send({ revoked: [grant.id] });
    },
  );

  app.post(
    '/console/workspaces/:id/clients/:clientId/revoke-all',
    { preValidation: access.admin, schema: { params: ClientParams, response: { 200: Revoked } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const clientId = request.params.clientId;
      const grantIds = await liveGrantIdsOfClient(db, caller.workspace.id, clientId);
      if (grantIds.length === 0) throw new NotFound('This client has no active connection in this workspace');
      for (const grantId of grantIds) await revokeGrant(db, grantId, 'revoked_by_admin');
      await audit(db, request.log, adminEvent(caller, 'client_revoked', { grantIds }, { clientId }));
      return reply.send({ revoked: grantIds });
    },
  );
};
