import type { Kysely } from 'kysely';

// A rotated refresh token keeps the answer its rotation gave, sealed with that refresh token itself,
// so a client whose answer was lost (the auth service crashed before replying) gets it again on retry.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_tokens').addColumn('retry_answer', 'bytea').execute();
}
