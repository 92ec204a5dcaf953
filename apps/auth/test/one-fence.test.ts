// What the failure lab costs the authorization server while it is off: each request consults the lab
// at most once, so it pays at most one fence on the process's change feed, however many of its steps
// ask (/register: the no-dcr hook and forget-client's fingerprint). Counted with the feed's own
// mark() (the number of fences it has sent).
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient } from '@enginy/testing/oauth-client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url), { db: t.db });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function fences(request: () => Promise<unknown>): Promise<number> {
  const feed = app.changeFeed;
  if (feed === undefined || !feed.ready) throw new Error('the app has no listening change feed');
  const before = feed.mark();
  await request();
  return feed.mark() - before;
}

describe('one fence per request', () => {
  it('listens on the lab channel only, over one connection', () => {
    expect(app.changeFeed?.listensOn).toEqual(['enginy_failure_lab']);
  });

  it('/register asks the lab twice and sends one fence', async () => {
    const oauth = oauthClient(injectTransport(app), testConfig(t.url));
    expect(await fences(() => oauth.register())).toBe(1);
    expect(await fences(() => oauth.register({ client_name: 'Another' }))).toBe(1);
  });

  it('the metadata sends one fence', async () => {
    expect(await fences(() => app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' }))).toBe(1);
  });
});
