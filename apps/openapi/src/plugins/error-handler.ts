import { DatabaseUnavailableError } from '@enginy/db/errors';
import { readRestOfRefusedBody, UNAVAILABLE_RETRY_AFTER_SECONDS } from '@enginy/service/http-errors';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { catalogueError } from '../catalogue-error.ts';
import { ApiError, apiError, sendError } from '../errors.ts';
import { type RouteMethods, sendMethodNotAllowed } from './route-methods.ts';

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
    const { error, status } = catalogueError(raw, request.log);
    // The database is down or restarting: the same request will work again shortly (RFC 9110 §15.6.4).
    if (raw instanceof DatabaseUnavailableError) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    if (!(raw instanceof ApiError) && raw.code === 'FST_ERR_CTP_BODY_TOO_LARGE') readRestOfRefusedBody(request, reply);
    return sendError(reply, error, status);
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
