import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findLiveWorkspaceGrant, listConnections, liveGrantIdsOfClient, revokeGrant } from '@enginy/db/queries/oauth-grants';
import { getMcpSettings } from '@enginy/db/queries/workspaces';
import { ceilingInForce, effectiveScopes } from '@enginy/policy/effective-scopes';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit.ts';
import { NotFound } from '../../errors.ts';
import { readAccess, requireUuid, writeAccess } from './access.ts';
import { adminEvent } from './admin-event.ts';

/** Active connections (live grants) with usage, and revocation: one connection, or every one of a client. */
export async function consoleConnectionRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string } }>('/console/workspaces/:id/connections', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    const [grants, settings] = await Promise.all([listConnections(db, caller.workspace.id), getMcpSettings(db, caller.workspace.id)]);
    // What each grant may do today, as the MCP endpoint sees it (empty when MCP is off or the policy inactive).
    const ceiling = ceilingInForce(settings);
    const connections = grants.map((grant) => ({ ...grant, effectiveScopes: effectiveScopes(grant.grantedScopes, ceiling) }));
    return reply.header('cache-control', 'no-store').send({ connections });
  });

  app.post<{ Params: { id: string; grantId: string } }>('/console/workspaces/:id/connections/:grantId/revoke', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    // Another workspace's grant is "not found" here: no cross-workspace access.
    const grant = await findLiveWorkspaceGrant(db, caller.workspace.id, requireUuid(request.params.grantId, 'Connection'));
    if (grant === undefined) throw new NotFound('Connection not found or already revoked');
    await revokeGrant(db, grant.id, 'revoked_by_admin');
    await audit(db, request.log, adminEvent(caller, 'connection_revoked', { grantIds: [grant.id] }, { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: grant.scopes }));
    return reply.send({ revoked: [grant.id] });
  });

  app.post<{ Params: { id: string; clientId: string } }>('/console/workspaces/:id/clients/:clientId/revoke-all', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const clientId = request.params.clientId;
    const grantIds = await liveGrantIdsOfClient(db, caller.workspace.id, clientId);
    if (grantIds.length === 0) throw new NotFound('This client has no active connection in this workspace');
    for (const grantId of grantIds) await revokeGrant(db, grantId, 'revoked_by_admin');
    await audit(db, request.log, adminEvent(caller, 'client_revoked', { grantIds }, { clientId }));
    return reply.send({ revoked: grantIds });
  });
}
