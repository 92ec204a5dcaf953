import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashPassword, verifyPassword } from '@enginy/security/passwords';
import type { Db } from '../client.ts';
import { SEED_IDS } from './constants.ts';

export interface SeedUsers {
  adminEmail: string;
  adminPassword: string;
}

/** The member account shares the admin's password, so one documented password signs in both. */
export const SEED_MEMBER_EMAIL = 'member@enginy.local';

/**
 * Two workspaces and two people. Acme is ready for Claude Code (MCP on, the 3118 callback
 * allowlisted, read scopes); Globex has MCP off. The admin belongs to both, the member to Acme only.
 * Existing rows are left as they are, so re-seeding never undoes what someone changed in the console.
 */
export async function seedWorkspaces(db: Db, users: SeedUsers): Promise<void> {
  await db
    .insertInto('workspaces')
    .values([
      { id: SEED_IDS.acme, slug: 'acme', name: 'Acme Outreach' },
      { id: SEED_IDS.globex, slug: 'globex', name: 'Globex Sales' },
    ])
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();

  await db
    .insertInto('workspace_mcp_settings')
    .values([
      {
        workspace_id: SEED_IDS.acme,
        enabled: true,
        allowed_redirect_uris: [CLAUDE_CODE_REDIRECT_URI],
        allowed_client_ids: [],
        policy_scopes: [...READ_SCOPES],
        policy_active: true,
      },
      {
        workspace_id: SEED_IDS.globex,
        enabled: false,
        allowed_redirect_uris: [],
        allowed_client_ids: [],
        policy_scopes: ['WORKSPACE_READ'],
        policy_active: true,
      },
    ])
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();

  const adminId = await ensureUser(db, SEED_IDS.admin, users.adminEmail, 'Dev Admin', users.adminPassword);
  const memberId = await ensureUser(db, SEED_IDS.member, SEED_MEMBER_EMAIL, 'Mia Member', users.adminPassword);
  await db
    .insertInto('memberships')
    .values([
      { workspace_id: SEED_IDS.acme, user_id: adminId, role: 'admin' },
      { workspace_id: SEED_IDS.globex, user_id: adminId, role: 'admin' },
      { workspace_id: SEED_IDS.acme, user_id: memberId, role: 'member' },
    ])
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .execute();
}

/** Creates the user, or makes an existing one's password match the configured one. Returns its id. */
async function ensureUser(db: Db, id: string, email: string, name: string, password: string): Promise<string> {
  const existing = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  if (existing === undefined) {
    await db
      .insertInto('users')
      .values({ id, email, name, password_hash: await hashPassword(password) })
      .execute();
    return id;
  }
  if (!(await verifyPassword(existing.password_hash, password))) {
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', existing.id)
      .execute();
  }
  return existing.id;
}
