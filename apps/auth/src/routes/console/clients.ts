import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createPreregisteredClient, deleteWorkspaceClient, listWorkspaceCimdClients, listWorkspaceClients, rotateClientSecret } from '@enginy/db/queries/oauth-clients';
import { isValidRedirectUri } from '@enginy/policy/redirect-uri';
import { newClientCredentials, newClientSecret } from '@enginy/security/credentials';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit.ts';
import { NotFound, ValidationFailed } from '../../errors.ts';
import { readAccess, writeAccess } from './access.ts';
import { adminEvent } from './admin-event.ts';
import { body, list, text } from './input.ts';

const AUTH_METHODS = ['client_secret_post', 'client_secret_basic'] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * Pre-registered confidential clients (`claude mcp add --client-id … --client-secret …`). Secrets are
 * shown once. Beside them, read-only: the client ID metadata document clients seen in the workspace.
 */
export async function consoleClientRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string } }>('/console/workspaces/:id/clients', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    return reply.header('cache-control', 'no-store').send({ clients: await listWorkspaceClients(db, caller.workspace.id) });
  });

  // Only clients with an attempt or a grant in this workspace: a member learns nothing of the others'.
  app.get<{ Params: { id: string } }>('/console/workspaces/:id/cimd-clients', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    return reply.header('cache-control', 'no-store').send({ clients: await listWorkspaceCimdClients(db, caller.workspace.id) });
  });

  app.post<{ Params: { id: string } }>('/console/workspaces/:id/clients', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const b = body(request.body);
    const name = text(b, 'name');
    // The same rule as dynamic registration: https, loopback http, or a private-use scheme (RFC 8252).
    const redirectUris = list(b, 'redirectUris', 20, (uri) => (isValidRedirectUri(uri) ? undefined : 'must be https, or http on localhost/127.0.0.1, with no fragment'));
    if (redirectUris.length === 0) throw new ValidationFailed('redirectUris', [], 'at least one redirect URI is required');
    const method = b.tokenEndpointAuthMethod ?? 'client_secret_post';
    if (!AUTH_METHODS.includes(method as AuthMethod)) throw new ValidationFailed('tokenEndpointAuthMethod', method, `must be ${AUTH_METHODS.join(' or ')}`);
    const created = await createPreregisteredClient(db, config.tokenHashKey, { ...newClientCredentials(), name, redirectUris, tokenEndpointAuthMethod: method as AuthMethod, workspaceId: caller.workspace.id });
    await audit(db, request.log, adminEvent(caller, 'client_created', { name, redirectUris }, { clientId: created.clientId }));
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ clientId: created.clientId, clientSecret: created.clientSecret, name, redirectUris, tokenEndpointAuthMethod: method });
  });

  app.post<{ Params: { id: string; clientId: string } }>('/console/workspaces/:id/clients/:clientId/rotate-secret', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const clientSecret = newClientSecret();
    if (!(await rotateClientSecret(db, config.tokenHashKey, caller.workspace.id, request.params.clientId, clientSecret))) throw new NotFound('Client not found in this workspace');
    await audit(db, request.log, adminEvent(caller, 'client_secret_rotated', {}, { clientId: request.params.clientId }));
    return reply.header('cache-control', 'no-store').send({ clientId: request.params.clientId, clientSecret });
  });

  app.delete<{ Params: { id: string; clientId: string } }>('/console/workspaces/:id/clients/:clientId', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const revokedGrantIds = await deleteWorkspaceClient(db, caller.workspace.id, request.params.clientId);
    if (revokedGrantIds === undefined) throw new NotFound('Client not found in this workspace');
    await audit(db, request.log, adminEvent(caller, 'client_deleted', { revokedGrantIds }, { clientId: request.params.clientId }));
    return reply.code(204).send();
  });
}
