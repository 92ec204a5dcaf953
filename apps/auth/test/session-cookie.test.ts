// The session cookie reaches only what needs it. RFC 6265 §8.5: "Cookies do not provide isolation by
// port": with Path=/ it went to every localhost port, Claude Code's callback listener (3118) included.
import { type Env, loadConfig } from '@enginy/config/load';
import { testConfig } from '@enginy/testing/config';
import { ADMIN } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const PRODUCTION = { NODE_ENV: 'production', TOKEN_HASH_KEY: 'k'.repeat(32), LOG_LEVEL: 'silent' };

/** Signs in under `env`; the Set-Cookie headers, and whether the session API reads the cookie back. */
async function signIn(env: Env) {
  const config = env.NODE_ENV === 'production' ? loadConfig({ ...env, DATABASE_URL: t.url }) : testConfig(t.url, env);
  const app = await buildApp(config, { db: t.db });
  try {
    const response = await app.inject({
      method: 'POST',
      url: '/session',
      headers: { origin: config.web.url },
      payload: ADMIN,
    });
    expect(response.statusCode).toBe(200);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const [pair = ''] = (setCookie[0] ?? '').split(';');
    const readBack = await app.inject({ method: 'GET', url: '/session', headers: { cookie: pair } });
    return { setCookie, readBack: readBack.statusCode };
  } finally {
    await app.close();
  }
}

describe('the session cookie', () => {
  it.each([
    [
      'development (http://localhost): scoped to /api/auth, where the web app reaches this service',
      {},
      /^enginy_session=ess_[^;]+; Max-Age=43200; Path=\/api\/auth; HttpOnly; SameSite=Lax$/,
    ],
    [
      'served over https on localhost: Secure, still scoped by Path',
      { WEB_URL: 'https://localhost:5173' },
      /^enginy_session=ess_[^;]+; Max-Age=43200; Path=\/api\/auth; HttpOnly; Secure; SameSite=Lax$/,
    ],
    [
      'docker compose (production on http://localhost): scoped by Path',
      PRODUCTION,
      /^enginy_session=ess_[^;]+; Max-Age=43200; Path=\/api\/auth; HttpOnly; SameSite=Lax$/,
    ],
    [
      'production over https on its own host: __Host- prefix, Secure, Path=/',
      { ...PRODUCTION, WEB_URL: 'https://mcp.enginy.example' },
      /^__Host-enginy_session=ess_[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    ],
  ])('%s', async (_case, env, expected) => {
    const { setCookie, readBack } = await signIn(env);
    expect(setCookie[0]).toMatch(expected);
    // A cookie set before the scoping (Path=/) is ended, after the new one.
    expect(setCookie.slice(1)).toEqual(['enginy_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax']);
    expect(readBack).toBe(200);
  });
});
