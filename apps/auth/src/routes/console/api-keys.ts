import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { issueApiKey, listApiKeys, revokeApiKey } from '@enginy/db/queries/api-keys';
import { newApiKey } from '@enginy/security/credentials';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit.ts';
import { NotFound, ValidationFailed } from '../../errors.ts';
import { readAccess, requireUuid, writeAccess } from './access.ts';
import { adminEvent } from './admin-event.ts';
import { body, scopeList, text } from './input.ts';

/** API keys for the REST API (`x-api-key`). The key is shown once; only its keyed hash is stored. */
export async function consoleApiKeyRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string } }>('/console/workspaces/:id/api-keys', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    return reply.header('cache-control', 'no-store').send({ apiKeys: await listApiKeys(db, caller.workspace.id) });
  });

  app.post<{ Params: { id: string } }>('/console/workspaces/:id/api-keys', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const b = body(request.body);
    const name = text(b, 'name');
    const scopes = scopeList(b, 'scopes');
    // A key with no scopes is denied everything: refuse to mint a useless key.
    if (scopes.length === 0) throw new ValidationFailed('scopes', [], 'choose at least one scope');
    const issued = await issueApiKey(db, config.tokenHashKey, { key: newApiKey(), workspaceId: caller.workspace.id, name, scopes, createdBy: caller.userId });
    await audit(db, request.log, adminEvent(caller, 'api_key_created', { keyId: issued.id, name, scopes }));
    return reply.code(201).header('cache-control', 'no-store').send({ id: issued.id, key: issued.key, name, scopes });
  });

  app.post<{ Params: { id: string; keyId: string } }>('/console/workspaces/:id/api-keys/:keyId/revoke', async (request, reply) => {
    const caller = await writeAccess(request, db, config, request.params.id);
    const keyId = requireUuid(request.params.keyId, 'API key');
    if (!(await revokeApiKey(db, caller.workspace.id, keyId))) throw new NotFound('API key not found or already revoked');
    await audit(db, request.log, adminEvent(caller, 'api_key_revoked', { keyId }));
    return reply.code(204).send();
  });
}
