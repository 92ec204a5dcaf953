import { describe, expect, it } from 'vitest';
import {
  errorOf,
  FailureLabUnavailable,
  Forbidden,
  InvalidClient,
  InvalidClientMetadata,
  InvalidCredentials,
  InvalidGrant,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  LastAdmin,
  NotFound,
  NotSignedIn,
  ServerError,
  TemporarilyUnavailable,
  TooManyRequests,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  ValidationFailed,
} from '../src/errors/classes.ts';
import { ConsoleError, HttpError, OAuthError, ServiceError } from '../src/errors/service-error.ts';

// The catalogue: each class answers with its code and status, is of its kind's family (an OAuth code
// is an OAuthError, the session's and console's codes are not), and only the authorization
// response's codes (RFC 6749 §4.1.2.1, RFC 8707 §2) may be sent to a redirect URI.
describe('the error catalogue', () => {
  it.each([
    [new InvalidRequest('x'), OAuthError, 'invalid_request', 400, true],
    [new InvalidClient(), OAuthError, 'invalid_client', 401, false],
    [new InvalidGrant('x'), OAuthError, 'invalid_grant', 400, false],
    [new UnauthorizedClient('x'), OAuthError, 'unauthorized_client', 400, true],
    [new UnsupportedGrantType('password'), OAuthError, 'unsupported_grant_type', 400, false],
    [new UnsupportedResponseType('token'), OAuthError, 'unsupported_response_type', 400, true],
    [new InvalidScope('x'), OAuthError, 'invalid_scope', 400, true],
    [new InvalidTarget('x'), OAuthError, 'invalid_target', 400, true],
    [new InvalidRedirectUri('x'), OAuthError, 'invalid_redirect_uri', 400, false],
    [new InvalidClientMetadata('x'), OAuthError, 'invalid_client_metadata', 400, false],
    [new TemporarilyUnavailable('x'), OAuthError, 'temporarily_unavailable', 503, false],
    [new ServerError(), OAuthError, 'server_error', 500, false],
    [new TooManyRequests(3), HttpError, 'too_many_requests', 429, false],
    [new InvalidCredentials(), HttpError, 'invalid_credentials', 401, false],
    [new NotSignedIn(), HttpError, 'not_signed_in', 401, false],
    [new Forbidden('x'), HttpError, 'forbidden', 403, false],
    [new NotFound('x'), HttpError, 'not_found', 404, false],
    [new FailureLabUnavailable('x'), ConsoleError, 'failure_lab_unavailable', 403, false],
    [new LastAdmin('x'), ConsoleError, 'last_admin', 409, false],
    [new ValidationFailed('limit', 'x', 'must be a number'), ConsoleError, 'validation_failed', 422, false],
  ])('%s', (error, family, code, status, mayRedirect) => {
    expect(error).toBeInstanceOf(family);
    for (const other of [OAuthError, HttpError, ConsoleError].filter((kind) => kind !== family))
      expect(error).not.toBeInstanceOf(other);
    expect({ error: error.error, status: error.statusCode, mayRedirect: error.mayRedirect }).toEqual({
      error: code,
      status,
      mayRedirect,
    });
  });

  it.each([
    [new InvalidGrant('Code already used'), { error: 'invalid_grant', error_description: 'Code already used' }],
    [
      new ValidationFailed('limit', 'x', 'must be a number'),
      { error: 'validation_failed', error_description: 'limit: must be a number', field: 'limit', value: 'x' },
    ],
    [
      new ValidationFailed('body', undefined, 'expected a JSON object'),
      { error: 'validation_failed', error_description: 'body: expected a JSON object', field: 'body', value: null },
    ],
  ])('%s renders as %j', (error, body) => {
    expect(error.body()).toEqual(body);
  });

  it.each([
    [new TooManyRequests(3), 3],
    [new TemporarilyUnavailable('x', { retryAfterSeconds: 3600 }), 3600],
    [new TemporarilyUnavailable('x'), undefined],
  ])('%s asks to retry after %s s', (error, seconds) => {
    expect(error.retryAfterSeconds).toBe(seconds);
  });

  it.each([
    ['last_admin', ConsoleError],
    ['forbidden', HttpError],
    ['not_found', HttpError],
  ] as const)('a code decided elsewhere (%s) is its own class', (code, family) => {
    const error = errorOf(code, 'because');
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toBeInstanceOf(family);
    expect([error.error, error.description]).toEqual([code, 'because']);
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
