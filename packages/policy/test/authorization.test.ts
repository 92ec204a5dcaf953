import { describe, expect, it } from 'vitest';
import { decideAuthorization, NEVER_SAVED_SETTINGS, type WorkspacePolicySettings } from '../src/authorization.ts';
import { isClientIdAllowed } from '../src/client-id.ts';
import { READ_SCOPES } from '../src/scopes.ts';

const ACME: WorkspacePolicySettings = {
  enabled: true,
  allowedRedirectUris: ['http://localhost:3118/callback'],
  allowedClientIds: [],
  policyScopes: [...READ_SCOPES],
  policyActive: true,
};
const REQUEST = { clientId: 'client-1', redirectUri: 'http://localhost:3118/callback', scope: undefined };

describe('decideAuthorization: denials, in check order', () => {
  it.each([
    [
      'redirect URI not allowlisted',
      {},
      { redirectUri: 'http://localhost:9999/callback' },
      'redirect_uri_not_allowed',
      'redirect_uri is not allowed',
    ],
    [
      'client not in a non-empty allowlist',
      { allowedClientIds: ['other'] },
      {},
      'client_id_not_allowed',
      'OAuth client_id is not allowed',
    ],
    ['MCP disabled', { enabled: false }, {}, 'mcp_disabled', 'MCP is disabled for this workspace'],
    ['policy inactive', { policyActive: false }, {}, 'policy_inactive', 'The MCP policy of this workspace is inactive'],
    [
      'policy without scopes',
      { policyScopes: [] },
      {},
      'policy_empty',
      'The MCP policy of this workspace has no scopes',
    ],
    [
      'a write scope above a read ceiling',
      {},
      { scope: 'CONTACTS_WRITE' },
      'scopes_not_allowed',
      'Requested scopes are not allowed',
    ],
    ['an unknown scope', {}, { scope: 'CONTACTS_READ NOPE' }, 'scopes_not_allowed', 'Requested scopes are not allowed'],
    ['ALL above a read ceiling', {}, { scope: 'ALL' }, 'scopes_not_allowed', 'Requested scopes are not allowed'],
    [
      'redirect check comes before the disabled check',
      { enabled: false },
      { redirectUri: 'http://x.example/cb' },
      'redirect_uri_not_allowed',
      'redirect_uri is not allowed',
    ],
  ])('%s', (_rule, settings, request, reason, message) => {
    const decision = decideAuthorization({ ...ACME, ...settings }, { ...REQUEST, ...request });
    expect(decision).toMatchObject({ outcome: 'denied', reason, message });
  });

  it('only a scope denial goes back to the client, naming the offending scopes', () => {
    const decision = decideAuthorization(ACME, { ...REQUEST, scope: 'CONTACTS_READ CONTACTS_WRITE MESSAGING_WRITE' });
    expect(decision).toMatchObject({
      redirectError: 'invalid_scope',
      details: { offending: ['CONTACTS_WRITE', 'MESSAGING_WRITE'] },
    });
    const page = decideAuthorization({ ...ACME, enabled: false }, REQUEST);
    expect(page).toMatchObject({ redirectError: undefined });
  });

  it('shows what was sent, what is allowed and a hint for a near miss', () => {
    const decision = decideAuthorization(ACME, { ...REQUEST, redirectUri: 'http://127.0.0.1:3118/callback' });
    expect(decision).toMatchObject({
      details: { sent: 'http://127.0.0.1:3118/callback', allowed: ['http://localhost:3118/callback'] },
    });
    expect(decision.outcome === 'denied' && decision.hint).toContain('host (127.0.0.1 vs localhost)');
  });

  it('names the exact client ID to add', () => {
    const decision = decideAuthorization(
      { ...ACME, allowedClientIds: ['x'] },
      { ...REQUEST, clientId: 'https://claude.ai/oauth/claude-code-client-metadata' },
    );
    expect(decision.outcome === 'denied' && decision.hint).toContain(
      'https://claude.ai/oauth/claude-code-client-metadata',
    );
  });
});

describe('decideAuthorization: grants', () => {
  it.each([
    ['no scope gets the ceiling', undefined, [...READ_SCOPES]],
    ['a subset', 'CONTACTS_READ LISTS_READ', ['CONTACTS_READ', 'LISTS_READ']],
    ['offline_access is dropped, never rejected', 'CONTACTS_READ offline_access', ['CONTACTS_READ']],
    ['only offline_access gets the ceiling', 'offline_access', [...READ_SCOPES]],
  ])('%s', (_rule, scope, scopes) => {
    expect(decideAuthorization(ACME, { ...REQUEST, scope })).toEqual(
      expect.objectContaining({ outcome: 'allowed', scopes }),
    );
  });

  it('WRITE in the ceiling allows its READ', () => {
    const decision = decideAuthorization(
      { ...ACME, policyScopes: ['CONTACTS_WRITE'] },
      { ...REQUEST, scope: 'CONTACTS_READ' },
    );
    expect(decision).toMatchObject({ outcome: 'allowed', scopes: ['CONTACTS_READ'] });
  });

  it('a pinned client passes its allowlist', () => {
    expect(decideAuthorization({ ...ACME, allowedClientIds: ['client-1'] }, REQUEST).outcome).toBe('allowed');
  });
});

describe('isClientIdAllowed', () => {
  it.each([
    ['empty list admits any client', [], 'a', true],
    ['listed client', ['a'], 'a', true],
    ['unlisted client', ['a'], 'b', false],
  ])('%s', (_rule, allowed, id, expected) => {
    expect(isClientIdAllowed(allowed, id)).toBe(expected);
  });
});

describe('a workspace with no saved settings is closed', () => {
  it.each([
    ['its own allowlisted-looking redirect URI', REQUEST, 'redirect_uri_not_allowed'],
    ['any redirect URI', { ...REQUEST, redirectUri: 'http://127.0.0.1:3118/callback' }, 'redirect_uri_not_allowed'],
  ])('denies %s', (_case, request, reason) => {
    expect(decideAuthorization(NEVER_SAVED_SETTINGS, request)).toMatchObject({ outcome: 'denied', reason });
  });

  it('is off, with empty allowlists and no scope, and cannot be changed in place', () => {
    expect(NEVER_SAVED_SETTINGS).toEqual({
      enabled: false,
      allowedRedirectUris: [],
      allowedClientIds: [],
      policyScopes: [],
      policyActive: false,
    });
    expect(Object.isFrozen(NEVER_SAVED_SETTINGS) && Object.isFrozen(NEVER_SAVED_SETTINGS.policyScopes)).toBe(true);
  });
});
