import { describe, expect, it } from 'vitest';
import { CLIENT_METADATA_RULES, clientMetadataProblem } from '../src/client-metadata.ts';

const AUTH_CODE = ['authorization_code'];

describe('clientMetadataProblem (RFC 7591 §2; application_type: OpenID Connect DCR 1.0 §2)', () => {
  it.each([
    // application_type: a closed set.
    ['application_type native', { application_type: 'native' }, undefined],
    ['application_type web', { application_type: 'web' }, undefined],
    [
      'application_type an object',
      { application_type: { x: '<script>' } },
      'application_type must be one of: native, web',
    ],
    ['application_type another word', { application_type: 'desktop' }, 'application_type must be one of: native, web'],
    ['application_type in capitals', { application_type: 'NATIVE' }, 'application_type must be one of: native, web'],
    ['application_type a list', { application_type: ['native'] }, 'application_type must be one of: native, web'],
    // token_endpoint_auth_method: a closed set.
    ['auth method none', { token_endpoint_auth_method: 'none' }, undefined],
    ['auth method client_secret_post', { token_endpoint_auth_method: 'client_secret_post' }, undefined],
    ['auth method client_secret_basic', { token_endpoint_auth_method: 'client_secret_basic' }, undefined],
    [
      'auth method private_key_jwt',
      { token_endpoint_auth_method: 'private_key_jwt' },
      'token_endpoint_auth_method must be one of: none, client_secret_post, client_secret_basic',
    ],
    [
      'auth method a number',
      { token_endpoint_auth_method: 1 },
      'token_endpoint_auth_method must be one of: none, client_secret_post, client_secret_basic',
    ],
    // grant_types: a list from a closed set, holding authorization_code.
    ['grant types code and refresh', { grant_types: ['authorization_code', 'refresh_token'] }, undefined],
    ['grant types code alone', { grant_types: AUTH_CODE }, undefined],
    [
      'grant types refresh alone',
      { grant_types: ['refresh_token'] },
      'grant_types may hold only authorization_code, refresh_token, and must hold authorization_code',
    ],
    [
      'grant types implicit',
      { grant_types: ['authorization_code', 'implicit'] },
      'grant_types may hold only authorization_code, refresh_token, and must hold authorization_code',
    ],
    ['grant types a string', { grant_types: 'authorization_code' }, 'grant_types must be an array of strings'],
    [
      'grant types with an object',
      { grant_types: ['authorization_code', {}] },
      'grant_types must be an array of strings',
    ],
    // response_types: ["code"].
    ['response types code', { response_types: ['code'] }, undefined],
    ['response types empty', { response_types: [] }, 'response_types may hold only code, and must hold code'],
    [
      'response types token',
      { response_types: ['code', 'token'] },
      'response_types may hold only code, and must hold code',
    ],
    ['response types an object', { response_types: { 0: 'code' } }, 'response_types must be an array of strings'],
    // Text fields.
    ['client_name text', { client_name: 'Claude Code (enginy)' }, undefined],
    ['client_name a number', { client_name: 42 }, 'client_name must be a string'],
    ['client_name an object', { client_name: { text: 'x' } }, 'client_name must be a string'],
    ['scope empty text', { scope: '' }, undefined],
    ['scope a list', { scope: ['CONTACTS_READ'] }, 'scope must be a string'],
    ['software_id text', { software_id: '2e6dc280-f3c3-4e01-99a7-8181dbd1d23d' }, undefined],
    ['software_version a number', { software_version: 1.5 }, 'software_version must be a string'],
    ['contacts text list', { contacts: ['ops@example.com'] }, undefined],
    ['contacts a string', { contacts: 'ops@example.com' }, 'contacts must be an array of strings'],
    // URL fields.
    ['client_uri https', { client_uri: 'https://opencode.ai' }, undefined],
    ['logo_uri http', { logo_uri: 'http://localhost:8080/logo.png' }, undefined],
    ['client_uri an object', { client_uri: { href: 'https://x' } }, 'client_uri must be a string (a URL)'],
    ['logo_uri javascript:', { logo_uri: 'javascript:alert(1)' }, 'logo_uri must be an https or http URL'],
    ['tos_uri not a URL', { tos_uri: 'terms' }, 'tos_uri must be an absolute URL'],
    ['policy_uri data:', { policy_uri: 'data:text/html,<script>' }, 'policy_uri must be an https or http URL'],
    ['jwks_uri a number', { jwks_uri: 7 }, 'jwks_uri must be a string (a URL)'],
    // Absent, null and unknown fields.
    ['nothing at all', {}, undefined],
    ['null fields are left to their defaults', { application_type: null, client_uri: null }, undefined],
    ['unknown fields are ignored', { x_custom: { anything: true }, 'client_name#ja-Jpan-JP': 1 }, undefined],
  ])('%s', (_case, metadata, refused) => {
    const problem = clientMetadataProblem(metadata as Record<string, unknown>);
    expect(problem && `${problem.field} ${problem.problem}`).toBe(refused);
  });

  it('names the first refused field', () => {
    expect(clientMetadataProblem({ client_name: 1, application_type: 'x' })?.field).toBe('application_type');
  });

  it('has a rule for every field the server reads, and none for redirect_uris (redirect-uri.ts)', () => {
    expect(Object.keys(CLIENT_METADATA_RULES)).toEqual(
      expect.arrayContaining([
        'application_type',
        'token_endpoint_auth_method',
        'grant_types',
        'response_types',
        'client_name',
      ]),
    );
    expect(CLIENT_METADATA_RULES).not.toHaveProperty('redirect_uris');
  });
});
