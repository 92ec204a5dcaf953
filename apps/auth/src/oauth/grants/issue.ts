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

export interface TokenPair {
  response: TokenResponse;
  /** What is stored: the keyed hashes, never the tokens. */
  rows: { hash: string; kind: 'access' | 'refresh'; expiresAt: Date }[];
}

/**
 * A new opaque access + refresh token pair for a grant, not yet stored. `expires_in` is always sent:
 * without it Claude Code stores `expiresAt: 0` and signs in again every session.
 */
export function newTokenPair(config: StackConfig, scopes: string[]): TokenPair {
  const accessToken = newSecret('eat_');
  const refreshToken = newSecret('ert_');
  const now = Date.now();
  return {
    response: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: config.oauth.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    },
    rows: [
      {
        hash: hashSecret(config.tokenHashKey, accessToken),
        kind: 'access',
        expiresAt: new Date(now + config.oauth.accessTokenTtlSeconds * 1000),
      },
      {
        hash: hashSecret(config.tokenHashKey, refreshToken),
        kind: 'refresh',
        expiresAt: new Date(now + config.oauth.refreshTokenTtlSeconds * 1000),
      },
    ],
  };
}

/** A new token pair for a grant, stored only as keyed hashes. */
export async function issueTokenPair(
  db: Db,
  config: StackConfig,
  grantId: string,
  scopes: string[],
): Promise<TokenResponse> {
  const pair = newTokenPair(config, scopes);
  await insertTokens(db, grantId, pair.rows);
  return pair.response;
}
