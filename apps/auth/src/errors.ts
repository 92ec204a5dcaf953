import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * An OAuth error (RFC 6749 §5.2): its `error` code, HTTP status, and whether it may be sent back to
 * the client's redirect URI. Errors about the client or the redirect URI itself never redirect.
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

export function registerErrorHandling(app: FastifyInstance): void {
  // Every unknown path answers JSON, never a framework 404 page (clients probe guessed paths).
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', error_description: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });

  app.setErrorHandler((error: FastifyError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) {
      return reply.code(error.statusCode).send({ error: error.error, error_description: error.description });
    }
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid_request', error_description: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'invalid_request', error_description: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'server_error', error_description: 'Something went wrong on our side' });
  });
}
