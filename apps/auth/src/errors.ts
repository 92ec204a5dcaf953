import { DatabaseUnavailableError } from '@enginy/db/errors';
import {
  invalidInputProblem,
  readRestOfRefusedBody,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '@enginy/service/http-errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * An error this service answers with `{ error, error_description }`: its `error` code, HTTP status,
 * and whether the code may be sent back to the client's redirect URI (RFC 6749 §4.1.2.1). Errors
 * about the client or the redirect URI itself never redirect. Every subclass comes from CATALOGUE.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly statusCode: number,
    readonly description: string,
    readonly mayRedirect = false,
  ) {
    super(description);
  }
}

interface CatalogueRow {
  status: number;
  /** RFC 6749 §4.1.2.1 (and RFC 8707 §2): a code the authorization response may carry to the client. */
  mayRedirect: boolean;
  description: string;
}

/** The catalogue: one row per error code this service answers with; the classes below are generated from it. */
const CATALOGUE = {
  // RFC 6749 §5.2: "invalid_request … HTTP 400 (Bad Request) unless specified otherwise"; §4.1.2.1 lists it for the authorization response.
  invalid_request: {
    status: 400,
    mayRedirect: true,
    description: 'The request is missing a parameter or is malformed',
  },
  // RFC 6749 §5.2: client authentication failed → 401. Never redirects: the client is not trusted.
  invalid_client: {
    status: 401,
    mayRedirect: false,
    description: 'Client authentication failed or the client is unknown',
  },
  // RFC 6749 §5.2: the grant (code, refresh token) is invalid, expired, revoked or another client's.
  invalid_grant: { status: 400, mayRedirect: false, description: 'The grant is invalid, expired or revoked' },
  unauthorized_client: { status: 400, mayRedirect: true, description: 'The client may not use this grant type' },
  unsupported_grant_type: { status: 400, mayRedirect: false, description: 'The grant type is not supported' },
  unsupported_response_type: {
    status: 400,
    mayRedirect: true,
    description: 'The response type is not supported; use code',
  },
  invalid_scope: { status: 400, mayRedirect: true, description: 'Requested scopes are not allowed' },
  // RFC 8707 §2: "invalid_target: The requested resource is invalid, missing, unknown, or malformed."
  invalid_target: {
    status: 400,
    mayRedirect: true,
    description: 'The requested resource is invalid, missing, unknown, or malformed',
  },
  // RFC 7591 §3.2.2.
  invalid_redirect_uri: { status: 400, mayRedirect: false, description: 'A redirect URI is not valid' },
  invalid_client_metadata: { status: 400, mayRedirect: false, description: 'A client metadata field is not valid' },
  // RFC 6585 §4 (429); not an OAuth code, answered in the same shape.
  too_many_requests: { status: 429, mayRedirect: false, description: 'Too many requests; try again later' },
  // RFC 6749 §4.1.2.1 / §5.2; 503 (RFC 9110 §15.6.4).
  temporarily_unavailable: {
    status: 503,
    mayRedirect: false,
    description: 'The service is temporarily unavailable; try again later',
  },
  // The web app's session, consent and console API (not OAuth), in the same shape.
  invalid_credentials: { status: 401, mayRedirect: false, description: 'Wrong email or password' },
  not_signed_in: { status: 401, mayRedirect: false, description: 'Sign in to continue' },
  forbidden: { status: 403, mayRedirect: false, description: 'Forbidden' },
  not_found: { status: 404, mayRedirect: false, description: 'Not found' },
} as const satisfies Record<string, CatalogueRow>;

type ErrorCode = keyof typeof CATALOGUE;

/** The class for one catalogue row: `new InvalidGrant('…')`, `error instanceof InvalidGrant`. */
function errorClass(code: ErrorCode) {
  const row: CatalogueRow = CATALOGUE[code];
  const generated = class extends OAuthError {
    constructor(description: string = row.description) {
      super(code, row.status, description, row.mayRedirect);
    }
  };
  // invalid_grant → InvalidGrant, so logs name the class.
  const name = code.replace(/(^|_)([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase());
  Object.defineProperty(generated, 'name', { value: name });
  return generated;
}

export const InvalidRequest = errorClass('invalid_request');
export const InvalidClient = errorClass('invalid_client');
export const InvalidGrant = errorClass('invalid_grant');
export const UnauthorizedClient = errorClass('unauthorized_client');
export const InvalidScope = errorClass('invalid_scope');
export const InvalidTarget = errorClass('invalid_target');
export const InvalidRedirectUri = errorClass('invalid_redirect_uri');
export const InvalidClientMetadata = errorClass('invalid_client_metadata');
export const TemporarilyUnavailable = errorClass('temporarily_unavailable');
export const InvalidCredentials = errorClass('invalid_credentials');
export const NotSignedIn = errorClass('not_signed_in');
export const Forbidden = errorClass('forbidden');
export const NotFound = errorClass('not_found');

// Three codes whose description is built from what the caller sent.
export class UnsupportedGrantType extends errorClass('unsupported_grant_type') {
  constructor(grantType: string) {
    super(`grant_type ${grantType || '(missing)'} is not supported`);
  }
}
export class UnsupportedResponseType extends errorClass('unsupported_response_type') {
  constructor(responseType: string) {
    super(`response_type ${responseType || '(missing)'} is not supported; use code`);
  }
}
export class TooManyRequests extends errorClass('too_many_requests') {
  constructor(retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s`);
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  // Every unknown path answers JSON, never a framework 404 page (clients probe guessed paths).
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error: 'not_found', error_description: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });

  app.setErrorHandler((error: FastifyError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) {
      if (error instanceof InvalidClient && request.headers.authorization?.startsWith('Basic ')) {
        // RFC 6749 §5.2: a failed Basic authentication answers with WWW-Authenticate.
        reply.header('www-authenticate', 'Basic realm="enginy"');
      }
      return reply.code(error.statusCode).send({ error: error.error, error_description: error.description });
    }
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid_request', error_description: error.message });
    }
    if (error instanceof DatabaseUnavailableError) {
      // RFC 6749 §4.1.2.1 / §5.2 use temporarily_unavailable for this; 503 + Retry-After (RFC 9110 §15.6.4).
      request.log.warn({ err: error }, 'database unavailable');
      return reply.code(503).header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS)).send({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server cannot reach its database; try again in a few seconds',
      });
    }
    const problem = invalidInputProblem(error);
    if (problem !== undefined) return reply.code(400).send({ error: 'invalid_request', error_description: problem });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') readRestOfRefusedBody(request, reply);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'invalid_request', error_description: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'server_error', error_description: 'Something went wrong on our side' });
  });
}

/**
 * Errors the router raises before any route runs (a path that is not valid percent-encoded UTF-8,
 * an overlong path parameter): rendered as OAuth JSON like every other error (the app's
 * `frameworkErrors` option), not in Fastify's own shape.
 */
export function renderFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(error.statusCode ?? 400).send({ error: 'invalid_request', error_description: error.message });
}
