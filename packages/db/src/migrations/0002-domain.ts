import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';

type Col = ColumnDefinitionBuilder;

// Enginy's sales domain. Every row belongs to a workspace, and every foreign key between domain
// rows stays inside that workspace because each query filters on workspace_id first.
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = (col: Col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`);
  const workspace = (col: Col) => col.notNull().references('workspaces.id').onDelete('cascade');
  const now = (col: Col) => col.notNull().defaultTo(sql`now()`);

  await db.schema
    .createTable('crm_owners')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', now)
    .execute();

  await db.schema
    .createTable('sender_identities')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('linkedin_profile_url', 'text')
    .addColumn('channels', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('daily_limit', 'integer', (col) => col.notNull().defaultTo(50))
    .addColumn('created_at', 'timestamptz', now)
    .execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('domain', 'text')
    .addColumn('company_linkedin_url', 'text')
    .addColumn('industry', 'text')
    .addColumn('employee_count', 'integer')
    .addColumn('country', 'text')
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();
  // One company per domain and workspace: creating it twice is a conflict, not a duplicate.
  await sql`create unique index companies_workspace_domain_key on companies (workspace_id, lower(domain))`.execute(db);

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('company_id', 'uuid', (col) => col.references('companies.id').onDelete('set null'))
    .addColumn('owner_id', 'uuid', (col) => col.references('crm_owners.id').onDelete('set null'))
    .addColumn('first_name', 'text', (col) => col.notNull())
    .addColumn('last_name', 'text', (col) => col.notNull())
    .addColumn('job_title', 'text')
    .addColumn('linkedin_profile_url', 'text')
    .addColumn('linkedin_headline', 'text')
    .addColumn('professional_email', 'text')
    .addColumn('personal_emails', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('mobile_phone', 'text')
    .addColumn('phones', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('email_verification_status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('UNVERIFIED')
        .check(sql`email_verification_status in ('UNVERIFIED', 'VALID', 'INVALID', 'RISKY')`),
    )
    .addColumn('contact_country', 'text')
    .addColumn('is_in_crm', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();
  await sql`create unique index contacts_workspace_email_key on contacts (workspace_id, lower(professional_email))`.execute(
    db,
  );
  await db.schema
    .createIndex('contacts_workspace_created_idx')
    .on('contacts')
    .columns(['workspace_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('contacts_company_idx').on('contacts').column('company_id').execute();

  await db.schema
    .createTable('lists')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', now)
    .execute();
  await sql`create unique index lists_workspace_name_key on lists (workspace_id, lower(name))`.execute(db);

  await db.schema
    .createTable('list_members')
    .addColumn('list_id', 'uuid', (col) => col.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (col) => col.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('list_members_pkey', ['list_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('DRAFT').check(sql`status in ('DRAFT', 'ACTIVE', 'PAUSED', 'FINISHED')`),
    )
    .addColumn('sender_identity_id', 'uuid', (col) => col.references('sender_identities.id').onDelete('set null'))
    // The ordered step tree (conditions nest branches); it is read and written as a whole.
    .addColumn('steps', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();

  await db.schema
    .createTable('campaign_enrolments')
    .addColumn('campaign_id', 'uuid', (col) => col.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (col) => col.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('current_step', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('enrolled_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('campaign_enrolments_pkey', ['campaign_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('contact_id', 'uuid', (col) => col.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('sender_identity_id', 'uuid', (col) =>
      col.notNull().references('sender_identities.id').onDelete('cascade'),
    )
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('EMAIL', 'LINKEDIN')`))
    .addColumn('archived', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('unread_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .addColumn('tags', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('last_activity_at', 'timestamptz', now)
    .addUniqueConstraint('conversations_thread_key', ['contact_id', 'sender_identity_id', 'channel'])
    .execute();
  await db.schema
    .createIndex('conversations_workspace_activity_idx')
    .on('conversations')
    .columns(['workspace_id', 'last_activity_at'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('conversation_id', 'uuid', (col) => col.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('sender_identity_id', 'uuid', (col) =>
      col.notNull().references('sender_identities.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type in ('EMAIL', 'LINKEDIN')`))
    .addColumn('subject', 'text')
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('is_contact_sender', 'boolean', (col) => col.notNull())
    .addColumn('is_autosent', 'boolean', (col) => col.notNull().defaultTo(false))
    // The client's idempotency key: a retried send finds the message the first attempt created.
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', now)
    .addUniqueConstraint('messages_request_key', ['workspace_id', 'request_id'])
    .execute();
  await db.schema
    .createIndex('messages_conversation_idx')
    .on('messages')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('workspace_credits')
    .addColumn('workspace_id', 'uuid', (col) => col.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('balance', 'integer', (col) => col.notNull().check(sql`balance >= 0`))
    .addColumn('monthly_plan_credits', 'integer', (col) => col.notNull())
    .addColumn('monthly_addon_credits', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_renewal_date', 'date', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('actions')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('PENDING').check(sql`status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')`),
    )
    .addColumn('contact_ids', sql`uuid[]`, (col) => col.notNull())
    .addColumn('result', 'jsonb')
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', id)
    .addColumn('workspace_id', 'uuid', workspace)
    .addColumn('created_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('name', 'text', (col) => col.notNull())
    // Only the keyed hash of the key is stored; `prefix` lets a person recognise it in a list.
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('scopes', sql`text[]`, (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}
