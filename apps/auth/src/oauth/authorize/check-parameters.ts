import { InvalidRequest } from '../../errors/classes.ts';
import type { AuthorizeContext, AuthorizeParameters } from './context.ts';

/**
 * The query as single strings. Shown as an error page on failure: nothing about the client or its
 * redirect URI is known yet (RFC 6749 §4.1.2.1).
 */
export function checkParameters(ctx: AuthorizeContext): void {
  const parameters: AuthorizeParameters = {};
  for (const [name, value] of Object.entries((ctx.request.query ?? {}) as Record<string, unknown>)) {
    // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    if (Array.isArray(value)) throw new InvalidRequest(`${name} is repeated`);
    if (typeof value !== 'string') continue;
    // Not a character any parameter has, and nothing to store, audit or show back.
    if (value.includes('\u0000'))
      throw new InvalidRequest(`${name.replaceAll('\u0000', '?')} contains a NUL (%00) character`);
    parameters[name] = value;
  }
  ctx.parameters = parameters;
}
