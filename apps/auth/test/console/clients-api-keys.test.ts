import { findApiKey } from '@enginy/db/queries/api-keys';
import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const base = `/console/workspaces/${ACME}`;
const newClient = {
  name: 'Claude Code (team)',
  redirectUris: ['http://localhost:3118/callback'],
  tokenEndpointAuthMethod: 'client_secret_post',
};

/** The token endpoint's verdict on a client's credentials: a bad code is invalid_grant, bad credentials invalid_client. */
async function tokenError(clientId: string, clientSecret: string) {
  return (
    await c.oauth.token({
      grant_type: 'authorization_code',
      code: 'not-a-code',
      code_verifier: 'v'.repeat(43),
      redirect_uri: newClient.redirectUris[0] as string,
      client_id: clientId,
      client_secret: clientSecret,
    })
  ).json().error;
}

describe('pre-registered clients', () => {
  it('an admin creates one: the secret is shown once and works', async () => {
    const response = await c.call('POST', `${base}/clients`, c.admin, newClient);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      name: newClient.name,
      redirectUris: newClient.redirectUris,
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    expect(created.clientSecret).toMatch(/^ecs_/);
    expect(await tokenError(created.clientId, created.clientSecret)).toBe('invalid_grant');
    const listed = (await c.call('GET', `${base}/clients`, c.member)).json().clients;
    expect(listed).toEqual([expect.objectContaining({ id: created.clientId, name: newClient.name })]);
    expect(JSON.stringify(listed)).not.toContain(created.clientSecret);
    // Another workspace does not see it.
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/clients`, c.admin)).json().clients).toEqual([]);
  });

  it('rotating the secret retires the old one', async () => {
    const created = (await c.call('POST', `${base}/clients`, c.admin, newClient)).json();
    const rotated = await c.call('POST', `${base}/clients/${created.clientId}/rotate-secret`, c.admin);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().clientSecret).not.toBe(created.clientSecret);
    expect(await tokenError(created.clientId, created.clientSecret)).toBe('invalid_client');
    expect(await tokenError(created.clientId, rotated.json().clientSecret)).toBe('invalid_grant');
    expect(
      (await c.call('POST', `/console/workspaces/${GLOBEX}/clients/${created.clientId}/rotate-secret`, c.admin))
        .statusCode,
    ).toBe(404);
  });

  it('a deleted client is an unknown client (invalid_client), and its connections end', async () => {
    const created = (await c.call('POST', `${base}/clients`, c.admin, newClient)).json();
    const connection = await c.connect(ACME, undefined, created);
    expect(await c.active(connection.accessToken)).toBeDefined();
    expect(
      (await c.call('DELETE', `/console/workspaces/${GLOBEX}/clients/${created.clientId}`, c.admin)).statusCode,
    ).toBe(404);
    expect((await c.call('DELETE', `${base}/clients/${created.clientId}`, c.member)).statusCode).toBe(403);
    expect((await c.call('DELETE', `${base}/clients/${created.clientId}`, c.admin)).statusCode).toBe(204);
    expect(await tokenError(created.clientId, created.clientSecret)).toBe('invalid_client');
    expect(await c.active(connection.accessToken)).toBeUndefined();
    expect((await c.call('DELETE', `${base}/clients/${created.clientId}`, c.admin)).statusCode).toBe(404);
    const listed = (await c.call('GET', `${base}/clients`, c.admin)).json().clients;
    expect(listed.some((x: { id: string }) => x.id === created.clientId)).toBe(false);
    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({ reason: 'client_deleted', client_id: created.clientId });
  });

  it.each([
    ['no name', { name: '' }, 'name'],
    ['a plain-http redirect URI', { redirectUris: ['http://example.com/cb'] }, 'redirectUris[0]'],
    ['no redirect URI', { redirectUris: [] }, 'redirectUris'],
    ['an unknown auth method', { tokenEndpointAuthMethod: 'none' }, 'tokenEndpointAuthMethod'],
  ])('%s → 422', async (_case, change, field) => {
    const response = await c.call('POST', `${base}/clients`, c.admin, { ...newClient, ...change });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe(field);
  });

  it('writes need an admin, the CSRF token and a session', async () => {
    expect((await c.call('POST', `${base}/clients`, c.member, newClient)).statusCode).toBe(403);
    expect((await c.call('POST', `${base}/clients`, c.admin, newClient, { 'x-csrf-token': '' })).statusCode).toBe(403);
    expect((await c.call('POST', `${base}/clients`, undefined, newClient)).statusCode).toBe(401);
    expect((await c.call('GET', `${base}/clients`, undefined)).statusCode).toBe(401);
  });
});

describe('API keys', () => {
  it('an admin creates one (shown once, works), lists it, revokes it', async () => {
    const response = await c.call('POST', `${base}/api-keys`, c.admin, {
      name: 'CRM sync',
      scopes: ['CONTACTS_READ', 'CONTACTS_READ'],
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ name: 'CRM sync', scopes: ['CONTACTS_READ'] });
    expect(created.key).toMatch(/^gsk_/);
    expect(await findApiKey(c.t.db, c.config.tokenHashKey, created.key)).toMatchObject({
      workspaceId: ACME,
      scopes: ['CONTACTS_READ'],
    });

    const listed = (await c.call('GET', `${base}/api-keys`, c.member)).json().apiKeys;
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.id,
        name: 'CRM sync',
        scopes: ['CONTACTS_READ'],
        lastUsedAt: null,
        createdBy: 'dev@enginy.local',
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/api-keys`, c.admin)).json().apiKeys).toEqual([]);

    expect(
      (await c.call('POST', `/console/workspaces/${GLOBEX}/api-keys/${created.id}/revoke`, c.admin)).statusCode,
    ).toBe(404);
    expect((await c.call('POST', `${base}/api-keys/${created.id}/revoke`, c.member)).statusCode).toBe(403);
    expect((await c.call('POST', `${base}/api-keys/${created.id}/revoke`, c.admin)).statusCode).toBe(204);
    expect(await findApiKey(c.t.db, c.config.tokenHashKey, created.key)).toBeUndefined();
    expect((await c.call('POST', `${base}/api-keys/${created.id}/revoke`, c.admin)).statusCode).toBe(404);
    expect((await c.call('POST', `${base}/api-keys/not-a-uuid/revoke`, c.admin)).statusCode).toBe(404);
    expect((await c.call('GET', `${base}/api-keys`, c.admin)).json().apiKeys).toEqual([]);
  });

  it.each([
    ['no scopes', { name: 'k', scopes: [] }, 'scopes'],
    ['an unknown scope', { name: 'k', scopes: ['CONTACTS_READ', 'ROOT'] }, 'scopes[1]'],
    ['no name', { scopes: ['CONTACTS_READ'] }, 'name'],
  ])('%s → 422', async (_case, payload, field) => {
    const response = await c.call('POST', `${base}/api-keys`, c.admin, payload);
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe(field);
  });

  it('writes need an admin, the CSRF token, the web origin and a session', async () => {
    const payload = { name: 'k', scopes: ['CONTACTS_READ'] };
    expect((await c.call('POST', `${base}/api-keys`, c.member, payload)).statusCode).toBe(403);
    expect((await c.call('POST', `${base}/api-keys`, c.admin, payload, { 'x-csrf-token': '' })).statusCode).toBe(403);
    expect(
      (await c.call('POST', `${base}/api-keys`, c.admin, payload, { origin: 'http://evil.example' })).statusCode,
    ).toBe(403);
    expect((await c.call('POST', `${base}/api-keys`, undefined, payload)).statusCode).toBe(401);
    expect((await c.call('GET', `${base}/api-keys`, undefined)).statusCode).toBe(401);
  });
});
