import { describe, expect, it } from 'vitest';
import {
  AUTH_SERVER_METADATA_RULES,
  CHALLENGE_RULES,
  problemsOf,
  RESOURCE_METADATA_RULES,
  type Rule,
} from '../src/conformance-rules.ts';

/** What each rule finds wrong, without the clause problemsOf() adds. */
const problems = <T>(rules: readonly Rule<T>[], input: T) => rules.flatMap((rule) => rule.problem(input) ?? []);

describe('the 401 challenge', () => {
  it.each([
    [
      'both parameters',
      { resourceMetadataUrl: 'http://localhost:3001/.well-known/oauth-protected-resource/mcp', scope: 'CONTACTS_READ' },
      [],
    ],
    [
      'no resource_metadata',
      { resourceMetadataUrl: undefined, scope: 'CONTACTS_READ' },
      ['the WWW-Authenticate challenge has no resource_metadata'],
    ],
    [
      'an empty scope (no workspace grants anything)',
      { resourceMetadataUrl: 'http://x/prm', scope: ' ' },
      ['the WWW-Authenticate challenge has no scope (or an empty one)'],
    ],
    [
      'no scope',
      { resourceMetadataUrl: 'http://x/prm', scope: undefined },
      ['the WWW-Authenticate challenge has no scope (or an empty one)'],
    ],
  ])('%s', (_case, challenge, expected) => {
    expect(problems(CHALLENGE_RULES, challenge)).toEqual(expected);
  });
});

describe('protected-resource metadata (RFC 9728)', () => {
  const prm = {
    resource: 'http://localhost:3001/mcp',
    authorization_servers: ['http://localhost:3002'],
    scopes_supported: ['CONTACTS_READ'],
    bearer_methods_supported: ['header'],
  };
  it.each([
    ["Enginy's", {}, []],
    ['without bearer_methods_supported (optional)', { bearer_methods_supported: undefined }, []],
    ['scopes_supported left out', { scopes_supported: undefined }, ['scopes_supported is missing or empty']],
    ['scopes_supported empty', { scopes_supported: [] }, ['scopes_supported is missing or empty']],
    ['scopes_supported not strings', { scopes_supported: [1] }, ['scopes_supported is missing or empty']],
    [
      'offline_access in scopes_supported',
      { scopes_supported: ['CONTACTS_READ', 'offline_access'] },
      ['scopes_supported lists offline_access'],
    ],
    [
      'tokens in the query only',
      { bearer_methods_supported: ['query'] },
      ['bearer_methods_supported is ["query"], without "header"'],
    ],
  ])('%s', (_case, change, expected) => {
    expect(problems(RESOURCE_METADATA_RULES, { ...prm, ...change })).toEqual(expected);
  });
});

describe('authorization-server metadata (RFC 8414)', () => {
  const as = {
    issuer: 'http://localhost:3002',
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    registration_endpoint: 'http://localhost:3002/register',
  };
  it.each([
    ["Enginy's", {}, []],
    [
      'client ID metadata documents instead of registration',
      { registration_endpoint: undefined, client_id_metadata_document_supported: true },
      [],
    ],
    [
      'response_types_supported left out (REQUIRED)',
      { response_types_supported: undefined },
      ['response_types_supported is missing'],
    ],
    [
      'implicit only',
      { response_types_supported: ['token'] },
      ['response_types_supported is ["token"], without "code"'],
    ],
    [
      'grant_types_supported left out (defaults to code and implicit)',
      { grant_types_supported: undefined },
      ['grant_types_supported is missing; it must list authorization_code and refresh_token'],
    ],
    [
      'no refresh_token grant',
      { grant_types_supported: ['authorization_code'] },
      ['grant_types_supported (authorization_code) lacks refresh_token'],
    ],
    [
      'no iss parameter (RFC 9207)',
      { authorization_response_iss_parameter_supported: undefined },
      ['authorization_response_iss_parameter_supported is not true'],
    ],
    [
      'token auth methods left out',
      { token_endpoint_auth_methods_supported: undefined },
      ['token_endpoint_auth_methods_supported is missing (RFC 8414 then means client_secret_basic only)'],
    ],
    [
      'confidential clients only',
      { token_endpoint_auth_methods_supported: ['client_secret_basic'] },
      ['token_endpoint_auth_methods_supported (client_secret_basic) lacks "none"'],
    ],
    [
      'no way to register',
      { registration_endpoint: undefined },
      ['neither registration_endpoint nor client_id_metadata_document_supported is advertised'],
    ],
  ])('%s', (_case, change, expected) => {
    expect(problems(AUTH_SERVER_METADATA_RULES, { ...as, ...change })).toEqual(expected);
  });

  it('reports every problem with its clause, and each fix once', () => {
    const result = problemsOf(AUTH_SERVER_METADATA_RULES, { issuer: 'http://localhost:3002' });
    expect(result.problems).toHaveLength(5);
    expect(result.problems[0]).toBe(
      'response_types_supported is missing (RFC 8414 §2 response_types_supported (REQUIRED), OAuth 2.1: code)',
    );
    expect(result.fixes).toHaveLength(5);
  });
});
