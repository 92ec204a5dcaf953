import { DatabaseUnavailableError } from '@enginy/db/errors';
import { invalidInputProblem, readRestOfRefusedBody, UNAVAILABLE_RETRY_AFTER_SECONDS } from '@enginy/service/http-errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * An OAuth error (RFC 6749 §4.1.2.1, §5.2; RFC 7591 §3.2.2; RFC 8707 §2): its `error` code, HTTP
 * status, and whether it may be sent back to the client's redirect URI. Errors about the client or
 * the redirect URI itself never redirect.
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

// The catalogue. RFC 6749 §5.2: "invalid_request … HTTP 400 (Bad Request) unless specified otherwise".
export class InvalidRequest extends OAuthError {
  constructor(description: string, mayRedirect = false) {
    super('invalid_request', 400, description, mayRedirect);
  }
}
/** RFC 6749 §5.2: client authentication failed → 401. Never redirects: the client is not trusted. */
export class InvalidClient extends OAuthError {
  constructor(description = 'Client authentication failed or the client is unknown') {
    super('invalid_client', 401, description);
  }
}
export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', 400, description);
  }
}
export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', 400, description);
  }
}
export class UnsupportedGrantType extends OAuthError {
  constructor(grantType: string) {
    super('unsupported_grant_type', 400, `grant_type ${grantType || '(missing)'} is not supported`);
  }
}
export class UnsupportedResponseType extends OAuthError {
  constructor(responseType: string) {
    super('unsupported_response_type', 400, `response_type ${responseType || '(missing)'} is not supported; use code`, true);
  }
}
export class InvalidScope extends OAuthError {
  constructor(description: string, mayRedirect = false) {
    super('invalid_scope', 400, description, mayRedirect);
  }
}
/** RFC 8707 §2: "invalid_target: The requested resource is invalid, missing, unknown, or malformed." */
export class InvalidTarget extends OAuthError {
  constructor(description: string, mayRedirect = false) {
    super('invalid_target', 400, description, mayRedirect);
  }
}
/** RFC 7591 §3.2.2. */
export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super('invalid_redirect_uri', 400, description);
  }
}
export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super('invalid_client_metadata', 400, description);
  }
}
export class TooManyRequests extends OAuthError {
  constructor(retryAfterSeconds: number) {
    super('too_many_requests', 429, `Too many requests; try again in ${retryAfterSeconds} s`);
  }
}
export class TemporarilyUnavailable extends OAuthError {
  constructor(description: string) {
    super('temporarily_unavailable', 503, description);
  }
}
/** Session/consent API errors (the web app's JSON API, not OAuth). */
export class NotSignedIn extends OAuthError {
  constructor() {
    super('not_signed_in', 401, 'Sign in to continue');
  }
}
export class Forbidden extends OAuthError {
  constructor(description: string) {
    super('forbidden', 403, description);
  }
}
export class NotFound extends OAuthError {
  constructor(description: string) {
    super('not_found', 404, description);
  }
}

/** The console's bad input: names the field (a path such as `allowedRedirectUris[2]`) and the value. */
export class ValidationFailed extends OAuthError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    description: string,
  ) {
    super('validation_failed', 422, `${field}: ${description}`);
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  // Every unknown path answers JSON, never a framework 404 page (clients probe guessed paths).
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', error_description: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });

  app.setErrorHandler((error: FastifyError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) {
      if (error instanceof InvalidClient && request.headers.authorization?.startsWith('Basic ')) {
        // RFC 6749 §5.2: a failed Basic authentication answers with WWW-Authenticate.
        reply.header('www-authenticate', 'Basic realm="enginy"');
      }
      const extra = error instanceof ValidationFailed ? { field: error.field, value: error.value ?? null } : {};
      return reply.code(error.statusCode).send({ error: error.error, error_description: error.description, ...extra });
    }
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid_request', error_description: error.message });
    }
    if (error instanceof DatabaseUnavailableError) {
      // RFC 6749 §4.1.2.1 / §5.2 use temporarily_unavailable for this; 503 + Retry-After (RFC 9110 §15.6.4).
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send({ error: 'temporarily_unavailable', error_description: 'The authorization server cannot reach its database; try again in a few seconds' });
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
