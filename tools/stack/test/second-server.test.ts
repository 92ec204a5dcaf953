// The same migrations, seed and apps against a PostgreSQL *server* (on CI: Debian's PostgreSQL 15,
// started by `npm test`), as docker compose runs them on the postgres image.
import { createDb } from '@enginy/db/client';
import { migrationNames } from '@enginy/db/migrate';
import { wipeDatabase } from '@enginy/db/reset';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/test-stack.ts';

const serverUrl = process.env.TEST_POSTGRES_SERVER_URL;

if (serverUrl === undefined && process.env.CI) {
  it('has a second PostgreSQL server on CI', () => {
    expect.fail('TEST_POSTGRES_SERVER_URL is not set: CI must run the migrations against a PostgreSQL server too');
  });
}

describe.skipIf(serverUrl === undefined)('the stack on a PostgreSQL server (TEST_POSTGRES_SERVER_URL)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    const db = createDb(serverUrl as string, { max: 1 });
    await wipeDatabase(db);
    await db.destroy();
    stack = await startTestStack({ databaseUrl: serverUrl });
  });
  afterAll(() => stack?.close());

  it('applies every migration and the seed', async () => {
    const db = createDb(serverUrl as string, { max: 1 });
    try {
      const version = await sql<{ server_version: string }>`show server_version`.execute(db);
      expect(version.rows[0]?.server_version).toMatch(/^\d+/);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(applied.rows.map((row) => row.name)).toEqual(migrationNames());
      const admins = await db.selectFrom('users').select('email').where('email', '=', 'dev@enginy.local').execute();
      expect(admins).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });

  it('serves every app as ready', async () => {
    for (const url of [
      `${stack.config.openapi.url}/readyz`,
      `${stack.config.auth.issuer}/readyz`,
      stack.config.web.url,
    ]) {
      expect((await fetch(url)).status, url).toBe(200);
    }
  });
});
