import type { AuthorizeContext, AuthorizeParameters } from './context.ts';

/**
 * The query as single strings, as its schema (oauth-parameters.ts AuthorizeQuery) found it. Its
 * refusal is this check's, so it is shown as an error page: nothing about the client or its redirect
 * URI is known yet (RFC 6749 §4.1.2.1).
 */
export function checkParameters(ctx: AuthorizeContext): void {
  const refused = ctx.request.validationError;
  if (refused !== undefined) throw refused;
  ctx.parameters = ctx.request.query as AuthorizeParameters;
}
