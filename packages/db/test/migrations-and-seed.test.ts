import { DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';
import { migrateToLatest, migrationNames } from '@enginy/db/migrate';
import { SEED_IDS, SEED_MEMBER_EMAIL, seedDatabase } from '@enginy/db/seed';
import { findUserByEmail } from '@enginy/db/queries/users';
import { getMcpSettings, listMemberships } from '@enginy/db/queries/workspaces';
import { verifyPassword } from '@enginy/security/passwords';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const seedUsers = { adminEmail: DEFAULT_SEED_ADMIN.email, adminPassword: DEFAULT_SEED_ADMIN.password };

describe('migrations', () => {
  it('records every migration once, and a second run applies nothing', async () => {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db);
    expect(rows.rows.map((row) => row.name)).toEqual(migrationNames());
    expect(await migrateToLatest(t.db)).toEqual({ applied: [] });
  });
});

describe('seed', () => {
  it('gives Acme a Claude Code-ready MCP setup', async () => {
    const acme = await getMcpSettings(t.db, SEED_IDS.acme);
    expect(acme).toMatchObject({
      enabled: true,
      policyActive: true,
      allowedRedirectUris: ['http://localhost:3118/callback'],
      allowedClientIds: [],
    });
    expect(acme?.policyScopes.length).toBeGreaterThan(0);
    expect(acme?.policyScopes.every((scope) => scope.endsWith('_READ'))).toBe(true);
    expect((await getMcpSettings(t.db, SEED_IDS.globex))?.enabled).toBe(false);
  });

  it('seeds an admin in two workspaces and a member in one', async () => {
    const admin = await findUserByEmail(t.db, 'DEV@enginy.local');
    expect(admin).toBeDefined();
    expect(await verifyPassword(admin?.password_hash ?? '', DEFAULT_SEED_ADMIN.password)).toBe(true);
    expect((await listMemberships(t.db, admin?.id ?? '')).map((m) => [m.slug, m.role])).toEqual([
      ['acme', 'admin'],
      ['globex', 'admin'],
    ]);
    const member = await findUserByEmail(t.db, SEED_MEMBER_EMAIL);
    expect((await listMemberships(t.db, member?.id ?? '')).map((m) => [m.slug, m.role])).toEqual([['acme', 'member']]);
  });

  it('is idempotent and keeps what an admin changed', async () => {
    await t.db
      .updateTable('workspace_mcp_settings')
      .set({ allowed_client_ids: ['pinned-client'] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    await seedDatabase(t.db, seedUsers);
    await seedDatabase(t.db, seedUsers);
    const counts = await sql<{ users: number; workspaces: number; memberships: number }>`
      select (select count(*) from users)::int as users, (select count(*) from workspaces)::int as workspaces,
             (select count(*) from memberships)::int as memberships`.execute(t.db);
    expect(counts.rows[0]).toEqual({ users: 2, workspaces: 2, memberships: 3 });
    expect((await getMcpSettings(t.db, SEED_IDS.acme))?.allowedClientIds).toEqual(['pinned-client']);
  });

  it('makes the admin password follow the configured one', async () => {
    await seedDatabase(t.db, { ...seedUsers, adminPassword: 'another-password' });
    const admin = await findUserByEmail(t.db, DEFAULT_SEED_ADMIN.email);
    expect(await verifyPassword(admin?.password_hash ?? '', 'another-password')).toBe(true);
    await seedDatabase(t.db, seedUsers);
  });
});
