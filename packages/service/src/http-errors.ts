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
