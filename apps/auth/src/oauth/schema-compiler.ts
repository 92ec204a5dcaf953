import type { FastifySchemaCompiler } from 'fastify';
import { Compile } from 'typebox/compile';

/**
 * The OAuth endpoints' validator: TypeBox, converting nothing (a repeated parameter stays a list, to be
 * refused, not its first value, as @fastify/type-provider-typebox's compiler would convert a query),
 * and a request without a body or query has no parameters (RFC 6749 §3.2), not an invalid one.
 */
export const compileAsSent: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const check = Compile(schema as Parameters<typeof Compile>[0]);
  return (sent: unknown) => {
    const value = sent ?? {};
    return check.Check(value) ? { value } : { error: [...check.Errors(value)] as unknown as Error };
  };
};
