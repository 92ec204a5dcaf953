import { describe, expect, it } from 'vitest';
import {
  Forbidden,
  InvalidClient,
  InvalidClientMetadata,
  InvalidCredentials,
  InvalidGrant,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  NotFound,
  NotSignedIn,
  OAuthError,
  TemporarilyUnavailable,
  TooManyRequests,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
} from '../src/errors.ts';

// The catalogue: each class answers with its code and status, and only the authorization response's
// codes (RFC 6749 §4.1.2.1, RFC 8707 §2) may be sent to a redirect URI.
describe('the error catalogue', () => {
  it.each([
    [new InvalidRequest('x'), 'invalid_request', 400, true],
    [new InvalidClient(), 'invalid_client', 401, false],
    [new InvalidGrant('x'), 'invalid_grant', 400, false],
    [new UnauthorizedClient('x'), 'unauthorized_client', 400, true],
    [new UnsupportedGrantType('password'), 'unsupported_grant_type', 400, false],
    [new UnsupportedResponseType('token'), 'unsupported_response_type', 400, true],
    [new InvalidScope('x'), 'invalid_scope', 400, true],
    [new InvalidTarget('x'), 'invalid_target', 400, true],
    [new InvalidRedirectUri('x'), 'invalid_redirect_uri', 400, false],
    [new InvalidClientMetadata('x'), 'invalid_client_metadata', 400, false],
    [new TooManyRequests(3), 'too_many_requests', 429, false],
    [new TemporarilyUnavailable('x'), 'temporarily_unavailable', 503, false],
    [new InvalidCredentials(), 'invalid_credentials', 401, false],
    [new NotSignedIn(), 'not_signed_in', 401, false],
    [new Forbidden('x'), 'forbidden', 403, false],
    [new NotFound('x'), 'not_found', 404, false],
  ])('%s', (error, code, status, mayRedirect) => {
    expect(error).toBeInstanceOf(OAuthError);
    expect({ error: error.error, status: error.statusCode, mayRedirect: error.mayRedirect }).toEqual({
      error: code,
      status,
      mayRedirect,
    });
  });

  it.each([
    [new InvalidClient(), 'Client authentication failed or the client is unknown'],
    [new NotSignedIn(), 'Sign in to continue'],
    [new InvalidCredentials(), 'Wrong email or password'],
    [new UnsupportedGrantType(''), 'grant_type (missing) is not supported'],
    [new UnsupportedResponseType('token'), 'response_type token is not supported; use code'],
    [new TooManyRequests(3), 'Too many requests; try again in 3 s'],
  ])('%s says %s', (error, description) => {
    expect(error.description).toBe(description);
  });

  it('a class is its own: an invalid_grant is not an invalid_client', () => {
    expect(new InvalidGrant('x')).not.toBeInstanceOf(InvalidClient);
    expect(InvalidGrant.name).toBe('InvalidGrant');
  });
});
