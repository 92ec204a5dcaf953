import type { FastifyError, FastifyInstance } from 'fastify';

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

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ status: 'error', code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send({ status: 'error', code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    if (error.validation) {
      return reply.code(400).send({ status: 'error', code: 'validation_error', message: error.message, details: error.validation });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ status: 'error', code: (error.code ?? 'bad_request').toLowerCase(), message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ status: 'error', code: 'internal_error', message: 'Something went wrong on our side' });
  });
}
