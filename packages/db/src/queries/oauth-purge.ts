// Retention across the OAuth tables: what expired is deleted.
import type { Db } from '../client.ts';

export interface Purged {
  sessions: number;
  authorizationRequests: number;
  codes: number;
  tokens: number;
}

/**
 * Deletes sign-in sessions, pending authorization requests, codes and tokens that expired before
 * `expiredBefore`, and clears the retry answers of refresh tokens spent before `spentBefore` (past
 * their grace period). Nothing live is touched: a spent refresh token stays until it expires, so its
 * reuse is still detected; grants and the audit of authorization attempts are kept.
 */
export async function purgeExpired(db: Db, expiredBefore: Date, spentBefore: Date): Promise<Purged> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('oauth_tokens')
      .set({ retry_answer: null })
      .where('retry_answer', 'is not', null)
      .where('spent_at', '<', spentBefore)
      .execute();
    const sessions = await trx.deleteFrom('oauth_sessions').where('expires_at', '<', expiredBefore).executeTakeFirst();
    const requests = await trx
      .deleteFrom('oauth_authorization_requests')
      .where('expires_at', '<', expiredBefore)
      .executeTakeFirst();
    const codes = await trx.deleteFrom('oauth_codes').where('expires_at', '<', expiredBefore).executeTakeFirst();
    const tokens = await trx.deleteFrom('oauth_tokens').where('expires_at', '<', expiredBefore).executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      authorizationRequests: Number(requests.numDeletedRows),
      codes: Number(codes.numDeletedRows),
      tokens: Number(tokens.numDeletedRows),
    };
  });
}
