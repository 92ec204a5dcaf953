import { sql } from 'kysely';
import type { Db } from '../../client.ts';
import type { Channel, InboxTag } from '../../schema/domain.ts';
import { containsPattern, iso, offsetOf, type Page, type PageRequest, pageOf } from './pagination.ts';

export interface InboxThread {
  contactId: string;
  latestConversationId: string;
  fullName: string;
  email: string | null;
  companyName: string | null;
  senderIdentityIds: string[];
  channels: Channel[];
  unreadMessagesCount: number;
  lastActivityAt: string;
  summary: string | null;
  tags: InboxTag[];
}

export interface InboxMessage {
  id: string;
  conversationId: string;
  senderIdentityId: string;
  content: string;
  subject: string | null;
  type: Channel;
  isContactSender: boolean;
  isAutosent: boolean;
  createdAt: string;
}

export interface ThreadFilters {
  search?: string;
  senderIdentityId?: string;
  archived?: boolean;
}

/** Inbox threads: one per contact, gathering that contact's conversations across identities and channels. */
export async function listThreads(
  db: Db,
  workspaceId: string,
  filters: ThreadFilters,
  page: PageRequest,
): Promise<Page<InboxThread>> {
  let conversations = db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .where('conversations.workspace_id', '=', workspaceId)
    .where('conversations.archived', '=', filters.archived ?? false);
  if (filters.senderIdentityId)
    conversations = conversations.where('conversations.sender_identity_id', '=', filters.senderIdentityId);
  if (filters.search) {
    const pattern = containsPattern(filters.search);
    conversations = conversations.where((eb) =>
      eb.or([
        eb(eb.fn('concat_ws', [eb.val(' '), 'contacts.first_name', 'contacts.last_name']), 'ilike', pattern),
        eb('contacts.professional_email', 'ilike', pattern),
        eb('companies.name', 'ilike', pattern),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    conversations
      .select([
        'conversations.contact_id',
        sql<string>`(array_agg(conversations.id order by conversations.last_activity_at desc))[1]`.as(
          'latest_conversation_id',
        ),
        sql<string>`concat_ws(' ', min(contacts.first_name), min(contacts.last_name))`.as('full_name'),
        sql<string | null>`min(contacts.professional_email)`.as('email'),
        sql<string | null>`min(companies.name)`.as('company_name'),
        sql<string[]>`array_agg(distinct conversations.sender_identity_id)`.as('sender_identity_ids'),
        sql<Channel[]>`array_agg(distinct conversations.channel)`.as('channels'),
        sql<number>`sum(conversations.unread_count)::int`.as('unread'),
        sql<Date>`max(conversations.last_activity_at)`.as('last_activity_at'),
        sql<string | null>`(array_agg(conversations.summary order by conversations.last_activity_at desc))[1]`.as(
          'summary',
        ),
        sql<InboxTag[]>`(array_agg(conversations.tags order by conversations.last_activity_at desc))[1]`.as('tags'),
      ])
      .groupBy('conversations.contact_id')
      .orderBy(sql`max(conversations.last_activity_at)`, 'desc')
      .orderBy('conversations.contact_id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    conversations
      .select(sql<number>`count(distinct conversations.contact_id)::int`.as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  const data = rows.map((row) => ({
    contactId: row.contact_id,
    latestConversationId: row.latest_conversation_id,
    fullName: row.full_name,
    email: row.email,
    companyName: row.company_name,
    senderIdentityIds: row.sender_identity_ids,
    channels: row.channels,
    unreadMessagesCount: row.unread,
    lastActivityAt: iso(new Date(row.last_activity_at)),
    summary: row.summary,
    tags: row.tags,
  }));
  return pageOf(data, page, count.total);
}

const messageColumns = [
  'messages.id',
  'messages.conversation_id',
  'messages.sender_identity_id',
  'messages.content',
  'messages.subject',
  'messages.type',
  'messages.is_contact_sender',
  'messages.is_autosent',
  'messages.created_at',
] as const;

type MessageRow = {
  id: string;
  conversation_id: string;
  sender_identity_id: string;
  content: string;
  subject: string | null;
  type: Channel;
  is_contact_sender: boolean;
  is_autosent: boolean;
  created_at: Date;
};

const toMessage = (row: MessageRow): InboxMessage => ({
  id: row.id,
  conversationId: row.conversation_id,
  senderIdentityId: row.sender_identity_id,
  content: row.content,
  subject: row.subject,
  type: row.type,
  isContactSender: row.is_contact_sender,
  isAutosent: row.is_autosent,
  createdAt: iso(row.created_at),
});

/** A contact's messages across all their conversations, newest first. */
export async function listContactMessages(
  db: Db,
  workspaceId: string,
  contactId: string,
  page: PageRequest,
): Promise<Page<InboxMessage>> {
  const base = db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .where('messages.workspace_id', '=', workspaceId)
    .where('conversations.contact_id', '=', contactId);
  const [rows, count] = await Promise.all([
    base
      .select(messageColumns)
      .orderBy('messages.created_at', 'desc')
      .orderBy('messages.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows.map(toMessage), page, Number(count.total));
}

export interface OutgoingMessage {
  contactId: string;
  senderIdentityId: string;
  type: Channel;
  subject: string | null;
  content: string;
  requestId: string | null;
}

export type SendResult =
  | { kind: 'sent'; message: InboxMessage }
  | { kind: 'replayed'; message: InboxMessage }
  | { kind: 'request_id_reused'; message: InboxMessage };

/**
 * Sends (records) an outgoing message in the contact's conversation with that identity and channel.
 * `requestId` is an idempotency key: a retry with the same key and the same message returns the
 * first result and creates nothing; the same key with a different message is refused. The unique
 * (workspace_id, request_id) index settles concurrent retries: the loser's insert does nothing.
 */
export async function sendMessage(db: Db, workspaceId: string, out: OutgoingMessage): Promise<SendResult> {
  return db.transaction().execute(async (trx) => {
    const previous = out.requestId === null ? undefined : await findByRequestId(trx, workspaceId, out.requestId);
    if (previous) return replay(previous, out);
    const conversation = await trx
      .insertInto('conversations')
      .values({
        workspace_id: workspaceId,
        contact_id: out.contactId,
        sender_identity_id: out.senderIdentityId,
        channel: out.type,
      })
      .onConflict((oc) =>
        oc
          .columns(['contact_id', 'sender_identity_id', 'channel'])
          .doUpdateSet({ last_activity_at: new Date(), archived: false }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('messages')
      .values({
        workspace_id: workspaceId,
        conversation_id: conversation.id,
        sender_identity_id: out.senderIdentityId,
        type: out.type,
        subject: out.subject,
        content: out.content,
        is_contact_sender: false,
        request_id: out.requestId,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'request_id']).doNothing())
      .returning([
        'id',
        'conversation_id',
        'sender_identity_id',
        'content',
        'subject',
        'type',
        'is_contact_sender',
        'is_autosent',
        'created_at',
      ])
      .executeTakeFirst();
    if (inserted) return { kind: 'sent' as const, message: toMessage(inserted) };
    // A concurrent request with the same key committed first.
    return replay((await findByRequestId(trx, workspaceId, out.requestId as string))!, out);
  });
}

async function findByRequestId(db: Db, workspaceId: string, requestId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select([...messageColumns, 'conversations.contact_id'])
    .where('messages.workspace_id', '=', workspaceId)
    .where('messages.request_id', '=', requestId)
    .executeTakeFirst();
}

function replay(previous: MessageRow & { contact_id: string }, out: OutgoingMessage): SendResult {
  const same =
    previous.contact_id === out.contactId &&
    previous.sender_identity_id === out.senderIdentityId &&
    previous.type === out.type &&
    previous.content === out.content &&
    previous.subject === out.subject;
  return { kind: same ? 'replayed' : 'request_id_reused', message: toMessage(previous) };
}
