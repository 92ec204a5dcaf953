import { knownClient } from '@enginy/config/known-clients';
import { describe, expect, it } from 'vitest';
import { classifyCallbackError, classifyRefusal, classifyTokenError } from '../src/classify.ts';

const facts = {
  client: knownClient('claude-code'),
  clientId: 'client-1',
  redirectUri: 'http://localhost:3119/callback',
  callbackPort: 3119,
  requestedScopes: ['CONTACTS_WRITE'],
};
const CIMD_URL = 'https://claude.ai/oauth/claude-code-client-metadata';
const UNREACHABLE = `The client metadata document at ${CIMD_URL} could not be used: its host could not be reached`;

describe('classifyRefusal: the error page text names the step, the entry and the fix', () => {
  it.each([
    [
      'redirect_uri is not allowed',
      'redirect-uri',
      'redirect_uri is not allowed',
      'Add http://localhost:3119/callback to "Allowed redirect URIs"',
    ],
    [
      'redirect_uri is not registered for this client',
      'redirect-uri',
      'redirect_uri is not allowed',
      'register that redirect URI with the client',
    ],
    [
      'OAuth client_id is not allowed',
      'client-id',
      'OAuth client_id is not allowed',
      'Add this exact client ID to "Allowed OAuth client IDs": client-1',
    ],
    [
      'MCP is disabled for this workspace',
      'workspace-policy',
      'No active connection appears in Enginy',
      'Enable MCP for the workspace',
    ],
    [
      'The MCP policy of this workspace is inactive',
      'workspace-policy',
      'No active connection appears in Enginy',
      'Make the policy active with at least one scope',
    ],
    [
      'The MCP policy of this workspace has no scopes',
      'workspace-policy',
      'No active connection appears in Enginy',
      'Make the policy active with at least one scope',
    ],
    [
      'Requested scopes are not allowed',
      'scopes',
      'Requested scopes are not allowed',
      'Claude Code requested CONTACTS_WRITE. Narrow the request: ',
    ],
    [UNREACHABLE, 'registration', 'OAuth client_id is not allowed', 'its host is unreachable from the server'],
    ['Unknown client', 'client-id', 'OAuth client_id is not allowed', 'does not know client client-1'],
  ])('%s', (text, step, entry, fix) => {
    const failure = classifyRefusal(text, facts);
    expect(failure.step).toBe(step);
    expect(failure.entry).toBe(entry);
    expect(failure.fix).toContain(fix);
    expect(failure.detail).toContain(text);
  });
});

describe('redirect_uri is not allowed: the exact URI to allow, then the client side of its recipe', () => {
  it.each([
    ['copilot-cli', 'http://127.0.0.1:3118/callback', '"auth": { "redirectPort": 3118 }'],
    ['qwen-code', 'http://localhost:7777/oauth/callback', 'its listener is fixed on 127.0.0.1:7777'],
    ['cline', 'http://127.0.0.1:1456/mcp/oauth/callback', 'while port 1456 is taken it uses 1457, then 1458'],
    ['mcp-inspector', 'http://127.0.0.1:6276/oauth/callback', '--callback-url http://localhost:3118/callback'],
  ] as const)('%s sending %s', (id, redirectUri, clientSide) => {
    const client = knownClient(id);
    const { fix } = classifyRefusal('redirect_uri is not allowed', { ...facts, client, redirectUri });
    const allow = fix.indexOf(`Add ${redirectUri} to "Allowed redirect URIs"`);
    expect(allow).toBe(0);
    expect(fix.indexOf(clientSide)).toBeGreaterThan(allow);
    // Qwen Code's own redirectUri setting is named as the trap it is; no other client has one.
    expect(fix.includes('Do not set "oauth": { "redirectUri"')).toBe(id === 'qwen-code');
  });
});

describe("the fix for a request wider than the policy is the client's own way to narrow it, or a wider policy", () => {
  const details = {
    'Scopes outside the policy': 'CONTACTS_WRITE',
    'Workspace policy scopes': 'CONTACTS_READ LISTS_READ',
  };
  it.each(['claude-code', 'codex', 'opencode', 'mcp-remote'] as const)('%s', (id) => {
    const client = knownClient(id);
    const failure = classifyRefusal('Requested scopes are not allowed', { ...facts, client }, details);
    expect(failure.step).toBe('scopes');
    expect(failure.fix).toContain(
      `${client.name} requested CONTACTS_WRITE; the workspace policy allows CONTACTS_READ LISTS_READ.`,
    );
    expect(failure.fix).toContain(
      `Narrow the request: ${client.narrowScopes(['CONTACTS_READ', 'LISTS_READ'])} (the doctor: --scope "CONTACTS_READ LISTS_READ")`,
    );
    expect(failure.fix).toContain('or expand the policy in Enginy to include CONTACTS_WRITE');
  });

  it('names the policy in words when the denial came back to the callback without the page', () => {
    const failure = classifyCallbackError('invalid_scope', 'Requested scopes are not allowed', facts);
    expect(failure.fix).toContain(
      `Narrow the request: ${knownClient('claude-code').narrowScopes(['<the workspace policy scopes>'])}`,
    );
    expect(failure.fix).toContain('or expand the policy in Enginy');
  });
});

describe('an unusable client metadata document', () => {
  it.each([
    ['the error page', () => classifyRefusal(UNREACHABLE, { ...facts, clientId: CIMD_URL })],
    [
      'an invalid_client sent back',
      () => classifyCallbackError('invalid_client', UNREACHABLE, { ...facts, clientId: CIMD_URL }),
    ],
  ])('%s: explains the unreachable host, the development fallbacks and the way out', (_from, classify) => {
    const failure = classify();
    expect([failure.step, failure.entry]).toEqual(['registration', 'OAuth client_id is not allowed']);
    expect(failure.detail).toContain(UNREACHABLE);
    expect(failure.fix).toContain(`could not fetch ${CIMD_URL}: its host is unreachable from the server`);
    expect(failure.fix).toContain("bundled copy of Claude Code's document");
    expect(failure.fix).toContain('unverified clients restricted to loopback redirect URIs');
    expect(failure.fix).toContain('connect the auth service to the network, or pin a DCR client');
  });

  it.each([
    [
      'an older auth service naming the socket error',
      `The client metadata document at ${CIMD_URL} could not be used: it getaddrinfo ENOTFOUND claude.ai`,
      'its host is unreachable',
    ],
    [
      'a document that was reached but is unusable',
      `The client metadata document at ${CIMD_URL} could not be used: it has no valid redirect_uris`,
      'was reached but cannot be used',
    ],
  ])('%s', (_case, description, fix) => {
    const failure = classifyCallbackError('invalid_client', description, { ...facts, clientId: CIMD_URL });
    expect(failure.step).toBe('registration');
    expect(failure.fix).toContain(fix);
    expect(failure.fix).toContain('pin a DCR client');
  });

  it('another invalid_client is not taken for it', () => {
    expect(classifyRefusal('Unknown client_id x; register the client again', facts).step).toBe('client-id');
  });
});

describe('classifyCallbackError', () => {
  it.each([
    ['invalid_scope', 'scopes', 'Requested scopes are not allowed'],
    ['access_denied', 'consent', 'No active connection appears in Enginy'],
    ['server_error', 'consent', 'No active connection appears in Enginy'],
  ])('error=%s fails %s', (error, step, entry) => {
    const failure = classifyCallbackError(error, 'why', facts);
    expect([failure.step, failure.entry]).toEqual([step, entry]);
    expect(failure.detail).toBe(`The callback received error=${error} (why)`);
  });
});

describe('classifyTokenError', () => {
  it.each([
    [404, 'html', 'Cannot POST /token', 'needs authentication or Cannot POST /token'],
    [502, 'not_json', 'a non-JSON body', 'needs authentication or Cannot POST /token'],
    [404, 'not_found', '', 'needs authentication or Cannot POST /token'],
    [401, 'invalid_client', 'Wrong client_secret', 'No active connection appears in Enginy'],
    [400, 'invalid_grant', 'code expired', 'No active connection appears in Enginy'],
  ])('HTTP %i %s', (status, error, description, entry) => {
    const failure = classifyTokenError(status, error, description, 'http://localhost:3002/token');
    expect(failure.step).toBe('token-exchange');
    expect(failure.entry).toBe(entry);
    expect(failure.detail).toContain(`HTTP ${status}`);
  });
});
