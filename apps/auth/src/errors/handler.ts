import { DatabaseUnavailableError } from '@enginy/db/errors';
import {
  invalidInputProblem,
  readRestOfRefusedBody,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '@enginy/service/http-errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidClient, InvalidRequest, NotFound, ServerError, TemporarilyUnavailable } from './classes.ts';
import { ServiceError } from './service-error.ts';

/** Renders one error of the catalogue: its status, its Retry-After if it has one, its JSON body. */
export function sendError(reply: FastifyReply, error: ServiceError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.statusCode).send(error.body());
}

/** Anything a route or the framework throws, as an error of the catalogue (or a framework 4xx as is). */
function asServiceError(error: FastifyError | ServiceError, request: FastifyRequest): ServiceError | FastifyError {
  if (error instanceof ServiceError) return error;
  if (error.validation) return new InvalidRequest(error.message);
  if (error instanceof DatabaseUnavailableError) {
    // RFC 6749 §4.1.2.1 / §5.2 use temporarily_unavailable for this; 503 + Retry-After (RFC 9110 §15.6.4).
    request.log.warn({ err: error }, 'database unavailable');
    return new TemporarilyUnavailable(
      'The authorization server cannot reach its database; try again in a few seconds',
      { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    );
  }
  const problem = invalidInputProblem(error);
  if (problem !== undefined) return new InvalidRequest(problem);
  return error;
}

/** The app's one error handler (every plugin's, the console's included) and its answer to unknown routes. */
export function registerErrorHandling(app: FastifyInstance): void {
  // Every unknown path answers JSON, never a framework 404 page (clients probe guessed paths).
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new NotFound(`No route for ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.setErrorHandler((thrown: FastifyError | ServiceError, request, reply) => {
    const error = asServiceError(thrown, request);
    if (error instanceof ServiceError) {
      if (error instanceof InvalidClient && request.headers.authorization?.startsWith('Basic ')) {
        // RFC 6749 §5.2: a failed Basic authentication answers with WWW-Authenticate.
        reply.header('www-authenticate', 'Basic realm="enginy"');
      }
      return sendError(reply, error);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') readRestOfRefusedBody(request, reply);
    const status = error.statusCode ?? 500;
    // A framework refusal (415, 413, …) keeps its status, in the OAuth shape.
    if (status >= 400 && status < 500) return renderFrameworkError(error, request, reply);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new ServerError());
  });
}

/**
 * Errors the router raises before any route runs (a path that is not valid percent-encoded UTF-8,
 * an overlong path parameter), and framework refusals: rendered as OAuth JSON like every other error
 * (the app's `frameworkErrors` option), not in Fastify's own shape.
 */
export function renderFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(error.statusCode ?? 400).send({ error: 'invalid_request', error_description: error.message });
}
