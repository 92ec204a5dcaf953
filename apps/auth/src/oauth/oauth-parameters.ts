import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { InvalidRequest } from '../errors/classes.ts';

// The OAuth endpoints' parameters (RFC 6749 §3.1 the authorization request's query, §3.2 the token
// request's form body, RFC 7009 §2.1 the revocation request's), each a single string. Checked by
// TypeBox like every other route, and answered with the RFC's own code: RFC 6749 §5.2 "invalid_request:
// The request … repeats a parameter … or is otherwise malformed", never a generic validation error.

/** A form body or a query: every parameter a single string ("MUST NOT be included more than once"). */
export const FormParameters = Type.Record(Type.String(), Type.String());

/** The authorization request's query: single strings, and no NUL (%00) in any value. */
export const AuthorizeQuery = Type.Record(Type.String(), Type.String({ pattern: '^[^\\u0000]*$' }));

interface SchemaError {
  keyword: string;
  instancePath: string;
}

/** `/redirect_uri` → `redirect_uri` (RFC 6901 §4: ~1 is /, ~0 is ~). */
const nameOf = (pointer: string) => pointer.slice(1).replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * The first failing parameter (TypeBox reports them in the order they were sent) as the RFC's
 * invalid_request: a list is a repeated parameter (RFC 6749 §3.1, §3.2), a failed pattern a NUL.
 */
export function oauthParameterError(errors: readonly SchemaError[]): InstanceType<typeof InvalidRequest> {
  const first = errors[0];
  if (first === undefined || first.instancePath === '')
    return new InvalidRequest('The request parameters are malformed');
  const name = nameOf(first.instancePath);
  // Not a character any parameter has, and nothing to store, audit or show back.
  if (first.keyword === 'pattern')
    return new InvalidRequest(`${name.replaceAll('\u0000', '?')} contains a NUL (%00) character`);
  return new InvalidRequest(`${name} is repeated`);
}

/** RFC 6749 §3.2: the client uses "application/x-www-form-urlencoded" for the token (and revocation) request. */
export async function requireFormBody(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    throw new InvalidRequest('The body must be application/x-www-form-urlencoded');
}
