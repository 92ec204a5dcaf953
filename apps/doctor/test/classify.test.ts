import { describe, expect, it } from 'vitest';
import { classifyCallbackError, classifyRefusal, classifyTokenError } from '../src/classify.ts';

const facts = { clientId: 'client-1', redirectUri: 'http://localhost:3119/callback', callbackPort: 3119, requestedScopes: ['CONTACTS_WRITE'] };

describe('classifyRefusal: the error page text names the step, the entry and the fix', () => {
  it.each([
    ['redirect_uri is not allowed', 'redirect-uri', 'redirect_uri is not allowed', 'Add http://localhost:3119/callback to "Allowed redirect URIs"'],
    ['redirect_uri is not registered for this client', 'redirect-uri', 'redirect_uri is not allowed', 'register that redirect URI with the client'],
    ['OAuth client_id is not allowed', 'client-id', 'OAuth client_id is not allowed', 'Add this exact client ID to "Allowed OAuth client IDs": client-1'],
    ['MCP is disabled for this workspace', 'workspace-policy', 'No active connection appears in Enginy', 'Enable MCP for the workspace'],
    ['The MCP policy of this workspace is inactive', 'workspace-policy', 'No active connection appears in Enginy', 'Make the policy active with at least one scope'],
    ['The MCP policy of this workspace has no scopes', 'workspace-policy', 'No active connection appears in Enginy', 'Make the policy active with at least one scope'],
    ['Requested scopes are not allowed', 'scopes', 'Requested scopes are not allowed', 'Reduce the requested scopes or expand the policy in Enginy (requested: CONTACTS_WRITE)'],
    ['Unknown client', 'client-id', 'OAuth client_id is not allowed', 'does not know client client-1'],
  ])('%s', (text, step, entry, fix) => {
    const failure = classifyRefusal(text, facts);
    expect(failure.step).toBe(step);
    expect(failure.entry).toBe(entry);
    expect(failure.fix).toContain(fix);
    expect(failure.detail).toContain(text);
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
