// Pulls in the testing package's `declare module 'vitest'` (the pgServerUrl that inject() reads),
// which the type checker otherwise never sees from this package.
import type {} from '@enginy/db/testing/global-setup';
import type { StackConfig } from '@enginy/config/load';
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';

export interface Harness {
  app: FastifyInstance;
  t: TestDatabase;
  config: StackConfig;
  /** A new API key for `workspace` with exactly `scopes`. */
  key(scopes: string[], workspace?: 'acme' | 'globex'): Promise<string>;
  /** An injected request with `key` as x-api-key and `body` as JSON. */
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The app on its own cloned, seeded database, with background actions after 30 ms. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const t = await createTestDatabase();
  const config = testConfig(t.url, env);
  const app = await buildApp(config, { db: t.db, actionDelayMs: 30 });
  await app.ready();
  return {
    app,
    t,
    config,
    key: async (scopes, workspace = 'acme') =>
      (
        await issueApiKey(t.db, config.tokenHashKey, {
          key: newApiKey(),
          workspaceId: SEED_IDS[workspace],
          name: 'test',
          scopes,
        })
      ).key,
    call: (method, url, options = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(options.key ? { 'x-api-key': options.key } : {}), ...options.headers },
        ...(options.body === undefined ? {} : { payload: options.body as InjectOptions['payload'] }),
      }),
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
}
