import { ConstraintViolationError, DatabaseUnavailableError } from '@enginy/db/errors';
import { invalidInputProblem, readRestOfRefusedBody, UNAVAILABLE_RETRY_AFTER_SECONDS } from '@enginy/service/http-errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type RouteMethods, sendMethodNotAllowed } from './plugins/route-methods.ts';
import { validationFailure } from './validation/problems.ts';

/**
 * The REST API's error catalogue: every error leaves as `{ status: "error", code, message }`
 * with a stable code. Routes throw an ApiError; one handler renders all of them.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Every code the API answers with, and its status; the OpenAPI document lists them too. */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_api_key: 401,
  insufficient_credits: 402,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_status_transition: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  invalid_reference: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;


export type ErrorCode = keyof typeof ERROR_CODES;

export const apiError = (code: ErrorCode, message: string, details?: unknown) => new ApiError(ERROR_CODES[code], code, message, details);

export const notFound = (what: string) => apiError('not_found', `${what} not found`);

/** A body field that names a row the workspace does not have, e.g. `contactIds[2]`. */
export const invalidReference = (path: string, what: string) => apiError('invalid_reference', `${path}: ${what} not found in this workspace`, [{ path, message: `${what} not found in this workspace` }]);

// Fastify's own client errors, mapped onto the catalogue.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

// PostgreSQL errors that only a bad input value can cause: a data exception (class 22) or a
// constraint the request broke (class 23). The request was wrong, not the server.
function fromPostgres(error: { code?: unknown; message: string }): ApiError | undefined {
  const problem = invalidInputProblem(error);
  if (problem !== undefined) return apiError('validation_error', problem);
  if (!(error instanceof ConstraintViolationError)) return undefined;
  if (error.constraint === 'unique') return apiError('conflict', 'A record with these values already exists');
  if (error.constraint === 'foreign_key') return apiError('invalid_reference', 'A referenced record does not exist in this workspace');
  return apiError('validation_error', 'A value in the request cannot be stored (invalid characters or out of range)');
}

export function registerErrorHandling(app: FastifyInstance, routes: RouteMethods): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A path the app has, asked with a method it does not support: 405 with Allow, not 404.
    const owner = routes.owner(path);
    if (owner !== undefined && !owner.methods.includes(request.method)) return sendMethodNotAllowed(reply, request.method, path, owner.methods);
    return reply.code(404).send({ status: 'error', code: 'not_found', message: `No route for ${request.method} ${path}` });
  });

  app.setErrorHandler((raw: FastifyError | ApiError, request, reply) => {
    let error: FastifyError | ApiError = raw;
    if (!(error instanceof ApiError) && error.validation) error = validationFailure(error.validation, error.validationContext);
    if (!(error instanceof ApiError) && error instanceof DatabaseUnavailableError) {
      // The database is down or restarting: the same request will work again shortly (RFC 9110 §15.6.4).
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      error = apiError('service_unavailable', 'The service is temporarily unavailable (its database cannot be reached); try again in a few seconds');
    }
    if (!(error instanceof ApiError)) {
      const known = FASTIFY_CODES[error.code] ?? fromPostgres(error);
      if (typeof known === 'string') error = apiError(known, error.message);
      else if (known) error = known;
    }
    if (!(raw instanceof ApiError) && raw.code === 'FST_ERR_CTP_BODY_TOO_LARGE') readRestOfRefusedBody(request, reply);
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send({ status: 'error', code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ status: 'error', code: 'bad_request', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ status: 'error', code: 'internal_error', message: 'Something went wrong on our side' });
  });
}

/**
 * Errors the router raises before any route or hook runs (a path that is not valid percent-encoded
 * UTF-8, a path parameter past the length limit): Fastify would answer them in its own shape, so
 * they are rendered in the envelope here (the `frameworkErrors` option of the app).
 */
export function renderFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(error.statusCode ?? 400).send({ status: 'error', code: 'bad_request', message: error.message });
}
