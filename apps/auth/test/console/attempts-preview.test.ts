import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { decideAuthorization } from '@enginy/policy/authorization';
import { pkcePair } from '@enginy/testing/oauth-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
let clientId: string;
beforeAll(async () => {
  c = await startConsole();
  clientId = (
    await c.oauth.register({
      client_name: 'Attempts client',
      redirect_uris: [REDIRECT_URI, 'http://127.0.0.1:3118/callback'],
    })
  ).client_id;
});
afterAll(() => c.close());

const base = `/console/workspaces/${ACME}`;

/** Opens the consent screen for a request: a denial there is recorded for the workspace. */
async function attempt(redirectUri: string, scope?: string) {
  const id = await c.oauth.startAuthorization({ clientId, redirectUri, scope, challenge: pkcePair().challenge });
  const view = await c.app.inject({
    method: 'GET',
    url: `/consent/${id}?workspace=${ACME}`,
    headers: { cookie: c.admin.cookie },
  });
  expect(view.statusCode).toBe(200);
}

describe('attempts', () => {
  it('lists denials newest first with the product message, and filters them', async () => {
    await attempt('http://127.0.0.1:3118/callback');
    await attempt(REDIRECT_URI, 'MESSAGING_WRITE');
    // Refused before sign-in (unregistered redirect URI): nobody signed in, and anyone could have sent
    // it naming this client, so it is not ACME's to see.
    const early = await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://localhost:9999/cb')}&code_challenge=${pkcePair().challenge}&code_challenge_method=S256`,
    });
    expect(early.statusCode).toBe(400);

    const response = await c.call('GET', `${base}/attempts?clientId=${encodeURIComponent(clientId)}`, c.member);
    expect(response.statusCode).toBe(200);
    const attempts = response.json().attempts;
    expect(attempts.map((a: { reason: string }) => a.reason)).toEqual([
      'scopes_not_allowed',
      'redirect_uri_not_allowed',
    ]);
    expect(attempts[0]).toMatchObject({
      clientId,
      clientName: 'Attempts client',
      redirectUri: REDIRECT_URI,
      requestedScopes: ['MESSAGING_WRITE'],
      outcome: 'denied',
      kind: 'authorization',
      message: 'Requested scopes are not allowed',
      details: { offending: ['MESSAGING_WRITE'] },
    });
    expect(attempts[1]).toMatchObject({
      message: 'redirect_uri is not allowed',
      details: { sent: 'http://127.0.0.1:3118/callback' },
    });

    const byReason = (await c.call('GET', `${base}/attempts?reason=redirect_uri_not_allowed`, c.admin)).json().attempts;
    expect(byReason).toHaveLength(1);
    expect((await c.call('GET', `${base}/attempts?outcome=allowed`, c.admin)).json().attempts).toEqual([]);
    expect((await c.call('GET', `${base}/attempts?limit=1`, c.admin)).json().attempts).toHaveLength(1);
    // The other workspace sees none of it.
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/attempts`, c.admin)).json().attempts).toEqual([]);
  });

  // Security review: with no session, one /authorize and one /token naming Claude Code's public client
  // ID put an attacker's text and redirect URI into acme's list, and acme saw other tenants' failures.
  it('takes nothing unauthenticated into a workspace list, except its own pre-registered clients, labelled unauthenticated', async () => {
    const claudeCode = 'https://claude.ai/oauth/claude-code-client-metadata';
    // Claude Code has tried acme for real: its refused request is acme's to see.
    const id = await c.oauth.startAuthorization({
      clientId: claudeCode,
      redirectUri: REDIRECT_URI,
      scope: 'MESSAGING_WRITE',
      challenge: pkcePair().challenge,
    });
    expect(
      (
        await c.app.inject({
          method: 'GET',
          url: `/consent/${id}?workspace=${ACME}`,
          headers: { cookie: c.admin.cookie },
        })
      ).statusCode,
    ).toBe(200);
    await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${encodeURIComponent(claudeCode)}&redirect_uri=${encodeURIComponent('https://evil.example/fix')}&state=${encodeURIComponent('URGENT: security notice - reauthorize at https://evil.example/fix')}`,
    });
    await c.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'URGENT: security notice - reauthorize at https://evil.example/fix',
        client_id: claudeCode,
        redirect_uri: 'https://evil.example/fix',
      }).toString(),
    });
    await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('https://evil.example/fix')}`,
    });
    const listed = JSON.stringify((await c.call('GET', `${base}/attempts?limit=200`, c.admin)).json().attempts);
    expect(listed).toContain('MESSAGING_WRITE');
    expect(listed).not.toContain('evil.example');
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/attempts?limit=200`, c.admin)).json().attempts).toEqual(
      [],
    );

    const own = (
      await c.call('POST', `${base}/clients`, c.admin, { name: 'Acme CI', redirectUris: [REDIRECT_URI] })
    ).json();
    await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${own.clientId}&redirect_uri=${encodeURIComponent('http://localhost:9999/cb')}`,
    });
    const [latest] = (await c.call('GET', `${base}/attempts?clientId=${own.clientId}`, c.admin)).json().attempts;
    expect(latest).toMatchObject({ reason: 'redirect_uri_not_registered', workspaceId: null, unauthenticated: true });
    expect(
      (await c.call('GET', `/console/workspaces/${GLOBEX}/attempts?clientId=${own.clientId}`, c.admin)).json().attempts,
    ).toEqual([]);
  });

  it('stores a bounded event however large the request', async () => {
    const huge = `http://localhost:3118/${'x'.repeat(60_000)}`;
    await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(huge)}&scope=${'A '.repeat(5_000)}`,
    });
    const row = await c.t.db.selectFrom('auth_events').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(row).length).toBeLessThan(4_000);
    expect(row.redirect_uri).toMatch(/^http:\/\/localhost:3118\/x+… \(\d+ more characters\)$/);
  });

  it('shows a settings save', async () => {
    await c.call('PUT', `${base}/mcp-settings`, c.admin, {
      enabled: true,
      allowedRedirectUris: [REDIRECT_URI],
      allowedClientIds: [],
      policyScopes: ['CONTACTS_READ'],
      policyActive: true,
    });
    const [latest] = (await c.call('GET', `${base}/attempts`, c.admin)).json().attempts;
    expect(latest).toMatchObject({
      kind: 'admin',
      reason: 'settings_changed',
      message: 'MCP settings changed',
      details: { after: { policyScopes: ['CONTACTS_READ'] } },
    });
  });

  it.each([
    ['outcome=maybe', 'outcome'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1000', 'limit'],
    ['reason=a&reason=b', 'reason'],
  ])('?%s → 422 naming %s', async (query, field) => {
    const response = await c.call('GET', `${base}/attempts?${query}`, c.admin);
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe(field);
  });

  it('needs a session and membership', async () => {
    expect((await c.call('GET', `${base}/attempts`, undefined)).statusCode).toBe(401);
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/attempts`, c.member)).statusCode).toBe(404);
  });
});

describe('preview', () => {
  const settings = {
    enabled: true,
    allowedRedirectUris: [REDIRECT_URI],
    allowedClientIds: ['pinned'],
    policyScopes: ['CONTACTS_READ'],
    policyActive: true,
  };
  beforeAll(async () => {
    expect((await c.call('PUT', `${base}/mcp-settings`, c.admin, settings)).statusCode).toBe(200);
  });

  it.each<[{ clientId: string; redirectUri: string; scopes?: string | string[] }, string, string | undefined]>([
    [{ clientId: 'pinned', redirectUri: REDIRECT_URI, scopes: ['CONTACTS_READ'] }, 'allowed', undefined],
    [{ clientId: 'pinned', redirectUri: REDIRECT_URI }, 'allowed', undefined],
    [
      { clientId: 'pinned', redirectUri: 'http://127.0.0.1:3118/callback', scopes: [] },
      'denied',
      'redirect_uri is not allowed',
    ],
    [
      { clientId: 'someone', redirectUri: REDIRECT_URI, scopes: 'CONTACTS_READ' },
      'denied',
      'OAuth client_id is not allowed',
    ],
    [
      { clientId: 'pinned', redirectUri: REDIRECT_URI, scopes: ['CONTACTS_WRITE'] },
      'denied',
      'Requested scopes are not allowed',
    ],
  ])('%j → %s, exactly as decideAuthorization decides', async (input, outcome, message) => {
    const before = await c.t.db
      .selectFrom('auth_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await c.call('POST', `${base}/preview`, c.member, input);
    expect(response.statusCode).toBe(200);
    const scope = Array.isArray(input.scopes) ? input.scopes.join(' ') : input.scopes;
    const expected = decideAuthorization(settings, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scope: scope === '' ? undefined : scope,
    });
    expect(response.json().decision).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(response.json().decision).toMatchObject({ outcome, ...(message ? { message } : {}) });
    // No side effects: nothing recorded.
    const after = await c.t.db
      .selectFrom('auth_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('reads the current settings: a change shows at once', async () => {
    await c.call('PUT', `${base}/mcp-settings`, c.admin, { ...settings, policyActive: false });
    const response = await c.call('POST', `${base}/preview`, c.admin, {
      clientId: 'pinned',
      redirectUri: REDIRECT_URI,
    });
    expect(response.json().decision).toMatchObject({ outcome: 'denied', reason: 'policy_inactive' });
  });

  it('bad input → 422; no session → 401; another workspace → 404', async () => {
    const missing = await c.call('POST', `${base}/preview`, c.admin, { clientId: 'pinned' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().field).toBe('redirectUri');
    expect(
      (await c.call('POST', `${base}/preview`, c.admin, { clientId: 'x', redirectUri: REDIRECT_URI, scopes: 5 })).json()
        .field,
    ).toBe('scopes');
    expect(
      (await c.call('POST', `${base}/preview`, undefined, { clientId: 'x', redirectUri: REDIRECT_URI })).statusCode,
    ).toBe(401);
    expect(
      (
        await c.call('POST', `/console/workspaces/${GLOBEX}/preview`, c.member, {
          clientId: 'x',
          redirectUri: REDIRECT_URI,
        })
      ).statusCode,
    ).toBe(404);
  });
});
