import type { Db } from '../../client.ts';
import { iso, offsetOf, type Page, type PageRequest, pageOf } from './pagination.ts';

export interface ContactList {
  id: string;
  name: string;
  memberCount: number;
  createdAt: string;
}

export async function listLists(db: Db, workspaceId: string, page: PageRequest): Promise<Page<ContactList>> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('lists')
      .select(['lists.id', 'lists.name', 'lists.created_at'])
      .select((eb) =>
        eb
          .selectFrom('list_members')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('list_members.list_id', '=', 'lists.id')
          .as('member_count'),
      )
      .where('lists.workspace_id', '=', workspaceId)
      .orderBy('lists.name')
      .orderBy('lists.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    db
      .selectFrom('lists')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow(),
  ]);
  const data = rows.map((row) => ({
    id: row.id,
    name: row.name,
    memberCount: Number(row.member_count ?? 0),
    createdAt: iso(row.created_at),
  }));
  return pageOf(data, page, Number(count.total));
}

/** Creates a list; undefined when the workspace already has one by that name (case-insensitively). */
export async function createList(db: Db, workspaceId: string, name: string): Promise<ContactList | undefined> {
  const row = await db
    .insertInto('lists')
    .values({ workspace_id: workspaceId, name })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, memberCount: 0, createdAt: iso(row.created_at) };
}

export async function listExists(db: Db, workspaceId: string, listId: string): Promise<boolean> {
  const row = await db
    .selectFrom('lists')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', listId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds contacts (already checked to be the workspace's); returns how many were new to the list. */
export async function addListMembers(db: Db, listId: string, contactIds: readonly string[]): Promise<number> {
  const rows = await db
    .insertInto('list_members')
    .values([...new Set(contactIds)].map((contactId) => ({ list_id: listId, contact_id: contactId })))
    .onConflict((oc) => oc.doNothing())
    .returning('contact_id')
    .execute();
  return rows.length;
}

/** Removes contacts from the list; returns how many were members. */
export async function removeListMembers(db: Db, listId: string, contactIds: readonly string[]): Promise<number> {
  const rows = await db
    .deleteFrom('list_members')
    .where('list_id', '=', listId)
    .where('contact_id', 'in', [...new Set(contactIds)])
    .returning('contact_id')
    .execute();
  return rows.length;
}

export async function countListMembers(db: Db, listId: string): Promise<number> {
  const row = await db
    .selectFrom('list_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('list_id', '=', listId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
