import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { getMcpSettings } from '@enginy/db/queries/workspaces';
import { decideAuthorization } from '@enginy/policy/authorization';
import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../errors.ts';
import { readAccess } from './access.ts';
import { type Body, body } from './input.ts';

const NEVER_SAVED = { enabled: false, allowedRedirectUris: [], allowedClientIds: [], policyScopes: [], policyActive: false };

function raw(b: Body, field: string): string {
  const value = b[field];
  if (typeof value !== 'string' || value === '' || value.length > 2048) throw new ValidationFailed(field, value ?? null, 'is required (at most 2048 characters)');
  return value;
}

/**
 * POST /console/workspaces/:id/preview: the decision the consent step would make right now for this
 * client, redirect URI and scopes (the same decideAuthorization call), with no side effects.
 * A read: members may preview too, so it needs no CSRF token.
 */
export async function consolePreviewRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.post<{ Params: { id: string } }>('/console/workspaces/:id/preview', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    const b = body(request.body);
    // Taken verbatim (no trimming): the redirect URI check is an exact string match.
    const clientId = raw(b, 'clientId');
    const redirectUri = raw(b, 'redirectUri');
    // Scopes as the client would send them: a space-delimited string or a list; absent = none requested.
    let scope: string | undefined;
    if (typeof b.scopes === 'string') scope = b.scopes;
    else if (Array.isArray(b.scopes) && b.scopes.every((s) => typeof s === 'string')) scope = b.scopes.join(' ');
    else if (b.scopes !== undefined && b.scopes !== null) throw new ValidationFailed('scopes', b.scopes, 'must be a list of scope names or a space-delimited string');
    const settings = (await getMcpSettings(db, caller.workspace.id)) ?? NEVER_SAVED;
    const decision = decideAuthorization(settings, { clientId, redirectUri, scope: scope === '' ? undefined : scope });
    return reply.header('cache-control', 'no-store').send({ decision });
  });
}
