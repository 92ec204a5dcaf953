// What the kill -9 tests write under load: LinkedIn messages sent with 60 API keys, from the seeded
// Acme sender identity to its first 20 contacts, each with its own requestId.
import type { Db } from '@enginy/db/client';
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import { sql } from 'kysely';

export interface WriteLoad {
  keys: string[];
  senderIdentityId: string;
  contactIds: string[];
}

export async function writeLoad(db: Db, tokenHashKey: string, label: string): Promise<WriteLoad> {
  const keys = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      issueApiKey(db, tokenHashKey, {
        key: newApiKey(),
        workspaceId: SEED_IDS.acme,
        name: `${label} ${i}`,
        scopes: ['MESSAGING_WRITE'],
      }).then((issued) => issued.key),
    ),
  );
  const identity = await db
    .selectFrom('sender_identities')
    .select('id')
    .where('workspace_id', '=', SEED_IDS.acme)
    .where(sql<boolean>`'LINKEDIN' = any(channels)`)
    .executeTakeFirstOrThrow();
  const contacts = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', SEED_IDS.acme)
    .limit(20)
    .execute();
  return { keys, senderIdentityId: identity.id, contactIds: contacts.map((contact) => contact.id) };
}

/** The message rows written for each requestId: how many, and the first one's id. */
export async function messagesByRequestId(
  db: Db,
  requestIds: readonly string[],
): Promise<Map<string, { n: number; id: string }>> {
  const rows = await db
    .selectFrom('messages')
    .select(['request_id', sql<number>`count(*)::int`.as('n'), sql<string>`min(id::text)`.as('id')])
    .where('request_id', 'in', [...requestIds])
    .groupBy('request_id')
    .execute();
  return new Map(rows.map((row) => [row.request_id as string, { n: row.n, id: row.id }]));
}
