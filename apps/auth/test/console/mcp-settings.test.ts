import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const url = (id: string = ACME) => `/console/workspaces/${id}/mcp-settings`;
const valid = {
  enabled: true,
  allowedRedirectUris: ['http://localhost:3118/callback', 'http://localhost:3118/callback'],
  allowedClientIds: [],
  policyScopes: ['WORKSPACE_READ', 'CONTACTS_READ'],
  policyActive: true,
};

describe('GET /console/workspaces', () => {
  it("lists the user's workspaces with the role", async () => {
    const admin = await c.call('GET', '/console/workspaces', c.admin);
    expect(admin.statusCode).toBe(200);
    expect(
      admin
        .json()
        .workspaces.map((w: { id: string; role: string }) => [w.id, w.role])
        .sort(),
    ).toEqual([
      [ACME, 'admin'],
      [GLOBEX, 'admin'],
    ]);
    const member = await c.call('GET', '/console/workspaces', c.member);
    expect(member.json().workspaces.map((w: { id: string; role: string }) => [w.id, w.role])).toEqual([
      [ACME, 'member'],
    ]);
  });

  it('needs a signed-in session', async () => {
    const response = await c.call('GET', '/console/workspaces', undefined);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('not_signed_in');
  });
});

describe('MCP settings', () => {
  it('a member reads them; a non-member or a bad id gets 404', async () => {
    const read = await c.call('GET', url(), c.member);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ enabled: true, policyActive: true, warnings: [] });
    expect((await c.call('GET', url(GLOBEX), c.member)).statusCode).toBe(404);
    expect((await c.call('GET', url('not-a-uuid'), c.admin)).statusCode).toBe(404);
    expect((await c.call('GET', url(), undefined)).statusCode).toBe(401);
  });

  it('an admin saves them: deduplicated, audited with before and after', async () => {
    const response = await c.call('PUT', url(), c.admin, valid);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      ...valid,
      allowedRedirectUris: ['http://localhost:3118/callback'],
      warnings: [],
    });
    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({ reason: 'settings_changed', outcome: 'allowed' });
    expect(event?.details).toMatchObject({
      by: 'dev@enginy.local',
      before: { policyScopes: ['WORKSPACE_READ', 'CONTACTS_WRITE'] },
      after: { policyScopes: ['WORKSPACE_READ', 'CONTACTS_READ'] },
    });
    expect((await c.call('GET', url(), c.admin)).json().allowedRedirectUris).toEqual([
      'http://localhost:3118/callback',
    ]);
  });

  it('warns about a policy that lets no client in', async () => {
    const response = await c.call('PUT', url(), c.admin, { ...valid, policyScopes: [], allowedRedirectUris: [] });
    expect(response.statusCode).toBe(200);
    expect(response.json().warnings).toEqual([
      'The policy has no scope: no client can be granted anything',
      'No redirect URI is allowed: every authorization fails with "redirect_uri is not allowed"',
    ]);
  });

  it('a member may not save (403 naming the role); CSRF and origin are checked', async () => {
    const member = await c.call('PUT', url(), c.member, valid);
    expect(member.statusCode).toBe(403);
    expect(member.json().error_description).toContain('Only an admin of');
    const noCsrf = await c.call('PUT', url(), c.admin, valid, { 'x-csrf-token': '' });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error_description).toContain('CSRF');
    expect((await c.call('PUT', url(), c.admin, valid, { origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await c.call('PUT', url(), undefined, valid)).statusCode).toBe(401);
  });

  it.each([
    ['a relative redirect URI', { allowedRedirectUris: ['/callback'] }, 'allowedRedirectUris[0]', '/callback'],
    [
      'a redirect URI with spaces',
      { allowedRedirectUris: ['http://localhost:3118/callback', ' http://x'] },
      'allowedRedirectUris[1]',
      ' http://x',
    ],
    ['an unknown scope', { policyScopes: ['CONTACTS_READ', 'EVERYTHING'] }, 'policyScopes[1]', 'EVERYTHING'],
    [
      'too many client ids',
      { allowedClientIds: Array.from({ length: 51 }, (_, i) => `c${i}`) },
      'allowedClientIds',
      51,
    ],
    ['a missing switch', { enabled: 'yes' }, 'enabled', 'yes'],
    ['a non-list', { allowedClientIds: 'abc' }, 'allowedClientIds', 'abc'],
  ])('%s → 422 naming the field and value', async (_case, change, field, value) => {
    const response = await c.call('PUT', url(), c.admin, { ...valid, ...change });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field, value });
  });

  it('a body that is not a JSON object is a 4xx, never a 500', async () => {
    for (const [payload, type] of [
      ['[]', 'application/json'],
      ['null', 'application/json'],
      ['{"enabled":', 'application/json'],
      ['enabled=true', 'text/plain'],
    ] as const) {
      const response = await c.call('PUT', url(), c.admin, payload, { 'content-type': type });
      expect(response.statusCode, `${type} ${payload}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${type} ${payload}`).toBeLessThan(500);
    }
  });

  it('ALL is a known scope', async () => {
    const response = await c.call('PUT', url(), c.admin, { ...valid, policyScopes: ['ALL'] });
    expect(response.statusCode).toBe(200);
    expect(response.json().policyScopes).toEqual(['ALL']);
  });

  it('a save changes what a live token may do at once', async () => {
    await c.call('PUT', url(), c.admin, { ...valid, policyScopes: ['WORKSPACE_READ', 'CONTACTS_WRITE'] });
    const { accessToken } = await c.connect(ACME, 'WORKSPACE_READ CONTACTS_WRITE');
    expect((await c.active(accessToken))?.effectiveScopes).toEqual([
      'WORKSPACE_READ',
      'CONTACTS_READ',
      'CONTACTS_WRITE',
    ]);
    await c.call('PUT', url(), c.admin, { ...valid, policyScopes: ['CONTACTS_READ'] });
    expect((await c.active(accessToken))?.effectiveScopes).toEqual(['CONTACTS_READ']);
    await c.call('PUT', url(), c.admin, { ...valid, enabled: false, policyScopes: ['CONTACTS_READ'] });
    expect((await c.active(accessToken))?.effectiveScopes).toEqual([]);
  });
});
