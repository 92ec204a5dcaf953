import {
  CimdClientList,
  ClientList,
  ClientParams,
  CreatedClient,
  NewClient,
  RotatedSecret,
  WorkspaceParams,
} from '@enginy/contracts/console';
import {
  createPreregisteredClient,
  deleteWorkspaceClient,
  listWorkspaceCimdClients,
  listWorkspaceClients,
  rotateClientSecret,
} from '@enginy/db/queries/oauth-clients';
import { cleanClientName } from '@enginy/policy/client-name';
import { redirectUriRegistrable } from '@enginy/policy/redirect-uri';
import { newClientCredentials, newClientSecret } from '@enginy/security/credentials';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../audit.ts';
import { callerOf } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { distinctEntries } from './entries.ts';
import { NotFound, ValidationFailed } from '../errors/classes.ts';
import { iso, isoOrNull } from './wire.ts';

const MAX_REDIRECT_URIS = 20;

/**
 * Pre-registered confidential clients (`claude mcp add --client-id … --client-secret …`). Secrets are
 * shown once. Beside them, read-only: the client ID metadata document clients seen in the workspace.
 */
export const clientRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { config, db, access }) => {
  app.get(
    '/console/workspaces/:id/clients',
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: ClientList } } },
    async (request, reply) => {
      const clients = (await listWorkspaceClients(db, callerOf(request).workspace.id)).map((c) => ({
        ...c,
        // Clean on read too: a name stored before the cleaning (or written around it) is shown clean.
        name: cleanClientName(c.name, c.id),
        createdAt: iso(c.createdAt),
      }));
      return reply.header('cache-control', 'no-store').send({ clients });
    },
  );

  // Only clients with an attempt or a grant in this workspace: a member learns nothing of the others'.
  app.get(
    '/console/workspaces/:id/cimd-clients',
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: CimdClientList } } },
    async (request, reply) => {
      const clients = (await listWorkspaceCimdClients(db, callerOf(request).workspace.id)).map((c) => ({
        ...c,
        name: cleanClientName(c.name, c.id),
        fetchedAt: isoOrNull(c.fetchedAt),
        checkedAt: isoOrNull(c.checkedAt),
        lastAttemptAt: isoOrNull(c.lastAttemptAt),
      }));
      return reply.header('cache-control', 'no-store').send({ clients });
    },
  );

  app.post(
    '/console/workspaces/:id/clients',
    {
      preValidation: access.admin,
      schema: { params: WorkspaceParams, body: NewClient, response: { 201: CreatedClient } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // The cleaning /register and metadata documents get (packages/policy client-name): the name is shown
      // on the consent page of everyone using this client, so no bidi override or invisible character.
      const name = cleanClientName(request.body.name, '');
      if (name === '')
        throw new ValidationFailed(
          'name',
          request.body.name,
          'is required: only invisible or direction characters were sent',
        );
      // The same rule as dynamic registration: https, loopback http, or a private-use scheme (RFC 8252).
      const redirectUris = distinctEntries('redirectUris', request.body.redirectUris, MAX_REDIRECT_URIS, (uri) =>
        redirectUriRegistrable(uri) ? undefined : 'must be https, or http on localhost/127.0.0.1, with no fragment',
      );
      if (redirectUris.length === 0)
        throw new ValidationFailed('redirectUris', [], 'at least one redirect URI is required');
      const method = request.body.tokenEndpointAuthMethod ?? 'client_secret_post';
      const created = await createPreregisteredClient(db, config.tokenHashKey, {
        ...newClientCredentials(),
        name,
        redirectUris,
        tokenEndpointAuthMethod: method,
        workspaceId: caller.workspace.id,
      });
      await audit(
        db,
        request.log,
        adminEvent(caller, 'client_created', { name, redirectUris }, { clientId: created.clientId }),
      );
      return reply.code(201).header('cache-control', 'no-store').send({
        clientId: created.clientId,
        clientSecret: created.clientSecret,
        name,
        redirectUris,
        tokenEndpointAuthMethod: method,
      });
    },
  );

  app.post(
    '/console/workspaces/:id/clients/:clientId/rotate-secret',
    { preValidation: access.admin, schema: { params: ClientParams, response: { 200: RotatedSecret } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const clientSecret = newClientSecret();
      if (
        !(await rotateClientSecret(db, config.tokenHashKey, caller.workspace.id, request.params.clientId, clientSecret))
      )
        throw new NotFound('Client not found in this workspace');
      await audit(
        db,
        request.log,
        adminEvent(caller, 'client_secret_rotated', {}, { clientId: request.params.clientId }),
      );
      return reply.header('cache-control', 'no-store').send({ clientId: request.params.clientId, clientSecret });
    },
  );

  app.delete(
    '/console/workspaces/:id/clients/:clientId',
    { preValidation: access.admin, schema: { params: ClientParams } },
    async (request, reply) => {
      const caller = callerOf(request);
      const revokedGrantIds = await deleteWorkspaceClient(db, caller.workspace.id, request.params.clientId);
      if (revokedGrantIds === undefined) throw new NotFound('Client not found in this workspace');
      await audit(
        db,
        request.log,
        adminEvent(caller, 'client_deleted', { revokedGrantIds }, { clientId: request.params.clientId }),
      );
      return reply.code(204).send();
    },
  );
};
