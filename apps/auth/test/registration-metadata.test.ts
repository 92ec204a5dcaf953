// Security review (I2): /register stored and echoed any JSON as application_type (an object
// holding "<script>" came back in the 201). Every field with a closed set of values, and every field
// that must be text or a URL, is now checked: anything else is 400 invalid_client_metadata naming the
// field, and nothing is stored.
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const register = (metadata: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: '/register',
    payload: { client_name: 'Strict test', redirect_uris: [REDIRECT_URI], ...metadata },
  });

const clientCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('oauth_clients')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('registration metadata of the wrong kind', () => {
  it.each([
    ['application_type', { x: '<script>alert(1)</script>' }],
    ['application_type', 'desktop'],
    ['application_type', ['native']],
    ['application_type', 1],
    ['token_endpoint_auth_method', { method: 'none' }],
    ['grant_types', ['authorization_code', { evil: true }]],
    ['response_types', []],
    ['response_types', ['code', 'token']],
    ['client_name', { name: '<script>' }],
    ['client_name', 42],
    ['client_uri', { href: 'https://example.com' }],
    ['client_uri', 'javascript:alert(1)'],
    ['logo_uri', ['https://example.com/logo.png']],
    ['tos_uri', 5],
    ['policy_uri', 'data:text/html,<script>alert(1)</script>'],
    ['jwks_uri', true],
    ['scope', ['CONTACTS_READ']],
    ['software_id', { id: 1 }],
    ['software_version', 1.2],
    ['contacts', 'ops@example.com'],
  ])('%s = %j: 400 invalid_client_metadata naming the field, nothing stored', async (field, value) => {
    const before = await clientCount();
    const response = await register({ [field]: value });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_client_metadata');
    expect(response.json().error_description).toMatch(new RegExp(`^${field} `));
    expect(response.body).not.toContain('<script>');
    expect(await clientCount()).toBe(before);
  });

  it('application_type native or web is accepted and echoed as sent', async () => {
    for (const applicationType of ['native', 'web']) {
      const response = await register({ application_type: applicationType, client_name: `As ${applicationType}` });
      expect(response.statusCode).toBe(201);
      expect(response.json().application_type).toBe(applicationType);
    }
  });
});
