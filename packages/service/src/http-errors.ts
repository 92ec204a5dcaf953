import { InvalidValueError } from '@enginy/db/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a client should wait before retrying while the database is unreachable (Retry-After, seconds). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * A body refused for its size (413) is answered before it has all arrived. Closing the connection
 * then (Fastify's default) with the rest unread makes the kernel reset it, and a client still
 * sending loses the 413 to ECONNRESET/EPIPE. So the rest is read and dropped, and the connection kept.
 */
export function readRestOfRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  reply.removeHeader('connection');
  request.raw.resume();
}

/**
 * What was wrong with the input, when the database refused a value (InvalidValueError): the
 * request was wrong, not the server, so both apps answer 400 with this text.
 */
export function invalidInputProblem(error: unknown): string | undefined {
  if (!(error instanceof InvalidValueError)) return undefined;
  return error.nulInText
    ? 'Text may not contain NUL (\\u0000) characters'
    : 'A value in the request cannot be stored (invalid characters or out of range)';
}
