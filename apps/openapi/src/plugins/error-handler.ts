import { ConstraintViolationError, DatabaseUnavailableError } from '@enginy/db/errors';
import {
  invalidInputProblem,
  readRestOfRefusedBody,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '@enginy/service/http-errors';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, apiError, type ErrorCode, sendError } from '../errors.ts';
import { validationProblems } from '../validation/problems.ts';
import { type RouteMethods, sendMethodNotAllowed } from './route-methods.ts';

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
  if (error.constraint === 'foreign_key')
    return apiError('invalid_reference', 'A referenced record does not exist in this workspace');
  return apiError('validation_error', 'A value in the request cannot be stored (invalid characters or out of range)');
}

/**
 * The one place errors are rendered: whatever a route, hook or Fastify itself throws leaves as an
 * error of the catalogue (errors.ts) in its envelope; a path no route has is a 404, or a 405 with
 * `Allow` when the path has other methods.
 */
const errorHandler: FastifyPluginAsync<{ routes: RouteMethods }> = async (app, { routes }) => {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A path the app has, asked with a method it does not support: 405 with Allow, not 404.
    const owner = routes.owner(path);
    if (owner !== undefined && !owner.methods.includes(request.method))
      return sendMethodNotAllowed(reply, request.method, path, owner.methods);
    return sendError(reply, apiError('not_found', `No route for ${request.method} ${path}`));
  });

  app.setErrorHandler((raw: FastifyError | ApiError, request, reply) => {
    let error: FastifyError | ApiError = raw;
    if (!(error instanceof ApiError) && error.validation) {
      const { message, problems } = validationProblems(error.validation, error.validationContext);
      error = apiError('validation_error', message, problems);
    }
    if (!(error instanceof ApiError) && error instanceof DatabaseUnavailableError) {
      // The database is down or restarting: the same request will work again shortly (RFC 9110 §15.6.4).
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      error = apiError(
        'service_unavailable',
        'The service is temporarily unavailable (its database cannot be reached); try again in a few seconds',
      );
    }
    if (!(error instanceof ApiError)) {
      const known = FASTIFY_CODES[error.code] ?? fromPostgres(error);
      if (typeof known === 'string') error = apiError(known, error.message);
      else if (known) error = known;
    }
    if (!(raw instanceof ApiError) && raw.code === 'FST_ERR_CTP_BODY_TOO_LARGE') readRestOfRefusedBody(request, reply);
    if (error instanceof ApiError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, apiError('bad_request', error.message), status);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, apiError('internal_error', 'Something went wrong on our side'));
  });
};

export default fp(errorHandler, { name: 'error-handler', fastify: '5.x' });

/**
 * Errors the router raises before any route or hook runs (a path that is not valid percent-encoded
 * UTF-8, a path parameter past the length limit): Fastify would answer them in its own shape, so
 * they are rendered in the envelope here (the `frameworkErrors` option of the app).
 */
export function renderFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, apiError('bad_request', error.message), error.statusCode ?? 400);
}
