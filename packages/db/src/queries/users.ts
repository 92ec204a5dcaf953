// Users and their sign-in sessions.
import { sql } from 'kysely';
import type { Db } from '../client.ts';

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

/** Sign-in sessions: the cookie is stored only as a hash. */
export async function createSession(
  db: Db,
  input: { idHash: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('oauth_sessions')
    .values({ id_hash: input.idHash, user_id: input.userId, csrf_token: input.csrfToken, expires_at: input.expiresAt })
    .execute();
}

/** The unexpired session with that cookie hash, with its user. */
export function findSession(db: Db, idHash: string) {
  return db
    .selectFrom('oauth_sessions')
    .innerJoin('users', 'users.id', 'oauth_sessions.user_id')
    .select(['oauth_sessions.user_id as userId', 'oauth_sessions.csrf_token as csrfToken', 'users.email', 'users.name'])
    .where('oauth_sessions.id_hash', '=', idHash)
    .where('oauth_sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('oauth_sessions').where('id_hash', '=', idHash).execute();
}
