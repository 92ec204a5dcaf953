import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { revokeGrant, touchGrant } from '@enginy/db/queries/oauth-grants';
import { findToken, insertTokens, spendRefreshToken } from '@enginy/db/queries/oauth-tokens';
import { issuedHere } from '@enginy/policy/failure-lab';
import { grantEndedByMembership, MEMBER_REMOVED } from '@enginy/policy/grant-membership';
import { scopesBeyondGrant } from '@enginy/policy/refresh-scope';
import { parseScopeParam } from '@enginy/policy/scopes';
import { hashSecret, openWithSecret, sealWithSecret } from '@enginy/security/tokens';
import { InvalidGrant, InvalidRequest, InvalidScope, InvalidTarget } from '../../errors/classes.ts';
import { newTokenPair, type TokenResponse } from './issue.ts';

// The retry grace (REFRESH_RETRY_GRACE_SECONDS, 10 s by default): how long after a rotation an
// identical retry (a lost answer, a crash before the reply) gets the same answer. RFC 9700 §4.14.2
// wants a spent refresh token refused; the grace trades a little of that for not logging a user out
// over one lost packet, so it is as short as real clients allow: Claude Code 2.1.328, its refresh
// answer dropped by a proxy, retried the same refresh token after 0.5 s
// (tests/e2e/test/real-client-claude-code-refresh-retry.test.ts); a crashed auth service restarts in
// about 2 s here. 10 s covers both with room; within it, whoever holds the spent token gets the live pair.

type FoundToken = NonNullable<Awaited<ReturnType<typeof findToken>>>;

export interface RefreshOptions {
  /** False when a workspace's spent tokens get no retry grace (failure lab refresh-no-grace); default true. */
  retryGrace?: (workspaceId: string) => boolean;
}

/** What a rotation keeps, sealed with the spent refresh token: the request it answered, and the answer. */
interface RetryAnswer {
  request: string;
  response: TokenResponse;
}

/**
 * Refresh with rotation (OAuth 2.1 §4.3.1: refresh tokens for public clients MUST be sender-constrained
 * or rotated). Reusing a spent refresh token revokes the whole grant (OAuth 2.1 §6.1), except an
 * identical retry within the grace period while the new refresh token is still unused: it gets the same
 * answer. The answer is kept in the database, sealed with the spent refresh token, so it survives a
 * restart of this service and only the holder of that token can read it.
 */
export class RefreshService {
  constructor(
    private readonly db: Db,
    private readonly config: StackConfig,
    /** The issuer path this token endpoint answers for (failure lab issuer-moved); null: the stack's own. */
    private readonly issuerPath: string | null = null,
  ) {}

  async refresh(
    client: OAuthClient,
    body: Record<string, string | undefined>,
    options: RefreshOptions = {},
  ): Promise<TokenResponse> {
    const token = body.refresh_token;
    if (token === undefined || token === '') throw new InvalidRequest('refresh_token is required');
    const hash = hashSecret(this.config.tokenHashKey, token);
    const request = JSON.stringify([client.id, body.scope ?? null, body.resource ?? null]);
    const row = await findToken(this.db, hash);
    if (row === undefined || row.kind !== 'refresh') throw new InvalidGrant('Unknown refresh token');
    if (row.clientId !== client.id) throw new InvalidGrant('The refresh token was issued to another client');
    // SEP-2352 (failure lab issuer-moved): a grant's tokens are honoured only by the issuer that issued it.
    if (!issuedHere(row.grantIssuerPath, this.issuerPath))
      throw new InvalidGrant('The refresh token was issued by another issuer');
    // A grant stands only while its user is a member of its workspace. RFC 6749 §5.2
    // invalid_grant: the refresh token "is invalid, expired, revoked". Migration 0011 revokes the grant
    // when the membership goes; a grant that outlived it any other way is revoked here.
    if (grantEndedByMembership({ member: row.member, revokedReason: row.grantRevokedReason })) {
      if (row.grantRevokedAt === null) await revokeGrant(this.db, row.grantId, MEMBER_REMOVED);
      throw new InvalidGrant(
        'The user is no longer a member of this workspace; the connection is revoked and must be authorized again',
      );
    }
    if (row.revokedAt !== null || row.grantRevokedAt !== null) throw new InvalidGrant('The refresh token was revoked');
    if (row.spentAt !== null) return this.retried(token, request, row, options);
    if (row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('The refresh token has expired');
    if (body.resource !== undefined && body.resource !== row.resource)
      throw new InvalidTarget(`resource must be ${row.resource}`);
    // RFC 6749 §6: "The requested scope MUST NOT include any scope not originally granted". Tokens
    // carry their grant's scopes, and the response's `scope` says so (RFC 6749 §5.1).
    const wider = scopesBeyondGrant(parseScopeParam(body.scope), row.scopes);
    if (wider.length > 0)
      throw new InvalidScope(`Requested scopes are not allowed: ${wider.join(' ')} was not granted`);

    const pair = newTokenPair(this.config, row.scopes);
    const answer: RetryAnswer = { request, response: pair.response };
    const rotated = await this.db.transaction().execute(async (trx) => {
      if (!(await spendRefreshToken(trx, hash, sealWithSecret(token, JSON.stringify(answer))))) return false;
      await touchGrant(trx, row.grantId);
      await insertTokens(trx, row.grantId, pair.rows);
      return true;
    });
    // Spent meanwhile: by an identical request that got there first (its answer is this one's), or reuse.
    return rotated ? pair.response : this.retried(token, request, (await findToken(this.db, hash)) ?? row, options);
  }

  /** A spent refresh token again: the answer its rotation gave, if this is that request's retry; else reuse. */
  private async retried(
    token: string,
    request: string,
    row: FoundToken,
    options: RefreshOptions,
  ): Promise<TokenResponse> {
    const grace = options.retryGrace?.(row.workspaceId) ?? true;
    const sealed =
      grace &&
      row.spentAt &&
      row.retryAnswer &&
      Date.now() - row.spentAt.getTime() <= this.config.oauth.refreshRetryGraceSeconds * 1000
        ? openWithSecret(token, row.retryAnswer)
        : undefined;
    const answer = sealed === undefined ? undefined : (JSON.parse(sealed) as RetryAnswer);
    if (answer !== undefined && answer.request === request) {
      // Only while the new refresh token is unused and the grant stands: after that, this is reuse.
      const next = await findToken(this.db, hashSecret(this.config.tokenHashKey, answer.response.refresh_token));
      if (next !== undefined && next.spentAt === null && next.revokedAt === null && next.grantRevokedAt === null)
        return answer.response;
    }
    await revokeGrant(this.db, row.grantId, 'refresh_token_reuse');
    throw new InvalidGrant(
      'The refresh token was already used; the connection is revoked and must be authorized again',
    );
  }
}
