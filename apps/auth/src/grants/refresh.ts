import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { findToken, revokeGrant, spendRefreshToken, touchGrant } from '@enginy/db/queries/oauth-tokens';
import { parseScopeParam } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import { InvalidGrant, InvalidRequest, InvalidScope, InvalidTarget } from '../errors.ts';
import { issueTokenPair, type TokenResponse } from './issue.ts';

/** How long an identical retry of a refresh (a lost response, a double click) gets the same answer. */
export const REFRESH_RETRY_GRACE_MS = 5_000;

interface Attempt {
  key: string;
  at: number;
  result: Promise<TokenResponse>;
}

/**
 * Refresh with rotation (OAuth 2.1 §4.3.1: refresh tokens for public clients MUST be sender-constrained
 * or rotated). Reusing a spent refresh token revokes the whole grant (OAuth 2.1 §6.1) — except an
 * identical retry within the grace period, which gets the same response. The grace memory lives in
 * this process: the stack runs one auth process.
 */
export class RefreshService {
  private readonly recent = new Map<string, Attempt>();

  constructor(
    private readonly db: Db,
    private readonly config: StackConfig,
  ) {}

  refresh(client: OAuthClient, body: Record<string, string | undefined>): Promise<TokenResponse> {
    const token = body.refresh_token;
    if (token === undefined || token === '') throw new InvalidRequest('refresh_token is required');
    const hash = hashSecret(this.config.tokenHashKey, token);
    const key = JSON.stringify([client.id, body.scope ?? null, body.resource ?? null]);
    this.sweep();
    const previous = this.recent.get(hash);
    if (previous !== undefined && previous.key === key) return previous.result;
    const result = this.rotate(client, hash, body);
    this.recent.set(hash, { key, at: Date.now(), result });
    // Only an answer is kept for identical retries: a failure (the database was unreachable) must not be
    // replayed to the retry that would now succeed. The caller handles the rejection itself.
    result.catch(() => {
      if (this.recent.get(hash)?.result === result) this.recent.delete(hash);
    });
    return result;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [hash, attempt] of this.recent) if (now - attempt.at > REFRESH_RETRY_GRACE_MS) this.recent.delete(hash);
  }

  private async rotate(client: OAuthClient, hash: string, body: Record<string, string | undefined>): Promise<TokenResponse> {
    const row = await findToken(this.db, hash);
    if (row === undefined || row.kind !== 'refresh') throw new InvalidGrant('Unknown refresh token');
    if (row.clientId !== client.id) throw new InvalidGrant('The refresh token was issued to another client');
    if (row.revokedAt !== null || row.grantRevokedAt !== null) throw new InvalidGrant('The refresh token was revoked');
    if (row.spentAt !== null) return this.reused(row.grantId);
    if (row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('The refresh token has expired');
    if (body.resource !== undefined && body.resource !== row.resource) throw new InvalidTarget(`resource must be ${row.resource}`);
    // RFC 6749 §6: "The requested scope MUST NOT include any scope not originally granted". Tokens
    // carry their grant's scopes, and the response's `scope` says so (RFC 6749 §5.1).
    const wider = parseScopeParam(body.scope).filter((s) => s !== 'offline_access' && !row.scopes.includes(s));
    if (wider.length > 0) throw new InvalidScope(`Requested scopes are not allowed: ${wider.join(' ')} was not granted`);

    const issued = await this.db.transaction().execute(async (trx) => {
      if (!(await spendRefreshToken(trx, hash))) return undefined;
      await touchGrant(trx, row.grantId);
      return issueTokenPair(trx, this.config, row.grantId, row.scopes);
    });
    return issued ?? this.reused(row.grantId);
  }

  private async reused(grantId: string): Promise<never> {
    await revokeGrant(this.db, grantId, 'refresh_token_reuse');
    throw new InvalidGrant('The refresh token was already used; the connection is revoked and must be authorized again');
  }
}
