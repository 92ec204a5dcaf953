import { ApiKeyList, ApiKeyParams, CreatedApiKey, NewApiKey, WorkspaceParams } from '@enginy/contracts/console';
import { issueApiKey, listApiKeys, revokeApiKey } from '@enginy/db/queries/api-keys';
import { newApiKey } from '@enginy/security/credentials';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../audit.ts';
import { callerOf, requireUuid } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { scopeEntries } from './entries.ts';
import { NotFound, ValidationFailed } from '../errors/classes.ts';
import { iso, isoOrNull } from './wire.ts';

/** API keys for the REST API (`x-api-key`). The key is shown once; only its keyed hash is stored. */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { config, db, access }) => {
  app.get(
    '/console/workspaces/:id/api-keys',
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: ApiKeyList } } },
    async (request, reply) => {
      const apiKeys = (await listApiKeys(db, callerOf(request).workspace.id)).map((k) => ({
        ...k,
        createdAt: iso(k.createdAt),
        lastUsedAt: isoOrNull(k.lastUsedAt),
      }));
      return reply.header('cache-control', 'no-store').send({ apiKeys });
    },
  );

  app.post(
    '/console/workspaces/:id/api-keys',
    {
      preValidation: access.admin,
      schema: { params: WorkspaceParams, body: NewApiKey, response: { 201: CreatedApiKey } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const name = request.body.name.trim();
      const scopes = scopeEntries('scopes', request.body.scopes);
      // A key with no scopes is denied everything: refuse to mint a useless key.
      if (scopes.length === 0) throw new ValidationFailed('scopes', [], 'choose at least one scope');
      const issued = await issueApiKey(db, config.tokenHashKey, {
        key: newApiKey(),
        workspaceId: caller.workspace.id,
        name,
        scopes,
        createdBy: caller.userId,
      });
      await audit(db, request.log, adminEvent(caller, 'api_key_created', { keyId: issued.id, name, scopes }));
      return reply.code(201).header('cache-control', 'no-store').send({ id: issued.id, key: issued.key, name, scopes });
    },
  );

  app.post(
    '/console/workspaces/:id/api-keys/:keyId/revoke',
    { preValidation: access.admin, schema: { params: ApiKeyParams } },
    async (request, reply) => {
      const caller = callerOf(request);
      const keyId = requireUuid(request.params.keyId, 'API key');
      if (!(await revokeApiKey(db, caller.workspace.id, keyId)))
        throw new NotFound('API key not found or already revoked');
      await audit(db, request.log, adminEvent(caller, 'api_key_revoked', { keyId }));
      return reply.code(204).send();
    },
  );
};
