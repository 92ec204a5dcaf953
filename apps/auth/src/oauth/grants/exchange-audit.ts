import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findCode } from '@enginy/db/queries/oauth-tokens';
import { hashSecret } from '@enginy/security/tokens';
import type { FastifyRequest } from 'fastify';
import { audit } from '../../audit.ts';
import type { OAuthError } from '../../errors/service-error.ts';

/**
 * Records a failed authorization-code exchange against the workspace the code was issued for (when
 * the code is known), so the console's attempts list reads e.g. "token exchange failed: PKCE
 * verification failed". Never fails the request itself.
 */
export async function auditFailedExchange(
  db: Db,
  config: StackConfig,
  request: FastifyRequest,
  body: Record<string, string | undefined>,
  error: OAuthError,
): Promise<void> {
  const code = body.code
    ? await findCode(db, hashSecret(config.tokenHashKey, body.code)).catch(() => undefined)
    : undefined;
  await audit(db, request.log, {
    workspaceId: code?.workspace_id ?? null,
    userId: code?.user_id ?? null,
    clientId: body.client_id ?? code?.client_id ?? null,
    redirectUri: body.redirect_uri ?? null,
    requestedScopes: code?.scopes ?? [],
    outcome: 'denied',
    reason: 'token_exchange_failed',
    details: { error: error.error, description: error.description },
  });
}
