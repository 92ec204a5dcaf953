import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { insertTokens } from '@enginy/db/queries/oauth-tokens';
import { hashSecret, newSecret } from '@enginy/security/tokens';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/**
 * A new opaque access + refresh token pair for a grant, stored only as keyed hashes. `expires_in` is
 * always sent: without it Claude Code stores `expiresAt: 0` and signs in again every session.
 */
export async function issueTokenPair(db: Db, config: StackConfig, grantId: string, scopes: string[]): Promise<TokenResponse> {
  const accessToken = newSecret('eat_');
  const refreshToken = newSecret('ert_');
  const now = Date.now();
  await insertTokens(db, grantId, [
    { hash: hashSecret(config.tokenHashKey, accessToken), kind: 'access', expiresAt: new Date(now + config.oauth.accessTokenTtlSeconds * 1000) },
    { hash: hashSecret(config.tokenHashKey, refreshToken), kind: 'refresh', expiresAt: new Date(now + config.oauth.refreshTokenTtlSeconds * 1000) },
  ]);
  return { access_token: accessToken, token_type: 'Bearer', expires_in: config.oauth.accessTokenTtlSeconds, refresh_token: refreshToken, scope: scopes.join(' ') };
}
