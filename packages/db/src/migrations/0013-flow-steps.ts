import { type Kysely, sql } from 'kysely';

// One row per step of a connection (discovery, registration, /authorize, sign-in, consent, token,
// the first MCP use, refreshes, revocation), so the console can show a connection as one flow.
// Steps carry what links them for real: the client, the authorization request, the grant. No
// foreign keys: a step outlives its request, code and tokens (purged a day after they expire) and is
// kept, like auth_events, 90 days. Nothing secret is stored: no code, token or hash of one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_steps')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('step', 'text', (col) => col.notNull())
    .addColumn('client_id', 'text')
    .addColumn('request_id', 'uuid')
    .addColumn('grant_id', 'uuid')
    .addColumn('workspace_id', 'uuid')
    // Discovery carries no client: it joins a flow by the caller's address and user agent.
    .addColumn('source', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('sent', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'integer', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('description', 'text')
    .addColumn('reason', 'text')
    .addColumn('hint', 'text')
    .addColumn('scenarios', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();
  await db.schema.createIndex('flow_steps_workspace_idx').on('flow_steps').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('flow_steps_request_idx').on('flow_steps').column('request_id').execute();
  await db.schema.createIndex('flow_steps_grant_idx').on('flow_steps').column('grant_id').execute();
  await db.schema.createIndex('flow_steps_client_idx').on('flow_steps').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('flow_steps_source_idx').on('flow_steps').columns(['source', 'at']).execute();
  await db.schema.createIndex('flow_steps_at_idx').on('flow_steps').column('at').execute();
  // Once per request and once per grant: the sign-in step (the consent page may be opened again and
  // again) and the first MCP use (the usage flush inserts it and ignores the conflict afterwards).
  await sql`create unique index flow_steps_sign_in_once on flow_steps (request_id) where step = 'sign-in'`.execute(db);
  await sql`create unique index flow_steps_mcp_once on flow_steps (grant_id) where step = 'mcp'`.execute(db);

  // The authorization request a code was issued for: the token exchange joins its flow through it.
  await db.schema.alterTable('oauth_codes').addColumn('request_id', 'uuid').execute();
}
