import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../client.ts';
import pg from 'pg';
import { inject } from 'vitest';
import './provided.ts';

export interface TestDatabase {
  url: string;
  db: Db;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
}

/** A fresh database cloned from the migrated, seeded template: every test file gets its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = inject('pgServerUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin(server, `create database ${name} template enginy_template`);
  const url = `${server}/${name}`;
  const db = createDb(url, { max: 5 });
  return {
    url,
    db,
    drop: async () => {
      await db.destroy();
      await admin(server, `drop database if exists ${name} with (force)`);
    },
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
