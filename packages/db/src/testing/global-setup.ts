// Vitest global setup: one real PostgreSQL (embedded) per test run, with a migrated and seeded
// template database that each test file clones (see database.ts). Clones take ~0.1 s; a cluster ~1.5 s.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';
import { createDb } from '../client.ts';
import { startEmbeddedPostgres } from '../embedded.ts';
import { migrateToLatest } from '../migrate.ts';
import { seedDatabase } from '../seed/run.ts';
import type { TestProject } from 'vitest/node';

import './provided.ts';

export const TEMPLATE_DATABASE = 'enginy_template';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enginy-test-pg-'));
  chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must reach its data dir
  const server = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'data'),
    port: await freePort(),
    database: TEMPLATE_DATABASE,
    env: process.env,
  });
  const db = createDb(server.url, { max: 1 });
  try {
    await migrateToLatest(db);
    await seedDatabase(db, { adminEmail: DEFAULT_SEED_ADMIN.email, adminPassword: DEFAULT_SEED_ADMIN.password });
  } finally {
    await db.destroy();
  }
  project.provide('pgServerUrl', server.url.replace(/\/[^/]+$/, ''));
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
