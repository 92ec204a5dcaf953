import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '../errors/classes.ts';

/** A form body as single strings; RFC 6749 §3.2: parameters MUST NOT be included more than once. */
export function formParams(request: FastifyRequest): Record<string, string | undefined> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    // RFC 6749 §3.2: the client uses "application/x-www-form-urlencoded" for the token request.
    throw new InvalidRequest('The body must be application/x-www-form-urlencoded');
  }
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequest(`${name} is repeated`);
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}
