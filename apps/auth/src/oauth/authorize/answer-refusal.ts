import { requestedEnginyScopes } from '@enginy/policy/authorization';
import { redirectUriTrustedUnattended } from '@enginy/policy/redirect-uri';
import type { FastifyReply } from 'fastify';
import { audit } from '../../audit.ts';
import { authorizationResponseUrl } from '../authorization-response.ts';
import { sendErrorPage } from '../error-page.ts';
import type { Refusal } from './checks.ts';
import { type AuthorizeContext, known } from './context.ts';
import { STAGES } from './stages.ts';

/**
 * Where a refusal goes: back to the client's redirect URI only when its stage allows it (RFC 6749
 * §4.1.2.1), its code is one the authorization response may carry, and the redirect URI is trusted
 * to receive it without the user (RFC 9700 §4.18, packages/policy). Else it is shown to the person.
 */
export function refusalAnswer({ stage, error }: Refusal, redirectUri: string | undefined): 'page' | 'redirect' {
  if (!STAGES[stage].mayRedirect || !error.mayRedirect || redirectUri === undefined) return 'page';
  return redirectUriTrustedUnattended(redirectUri) ? 'redirect' : 'page';
}

/** The one answer to a refused authorization request: its audit record, then the error page or the redirect. */
export async function answerRefusal(ctx: AuthorizeContext, reply: FastifyReply, refusal: Refusal) {
  const { request, db, config } = ctx;
  const { stage, error } = refusal;
  const rule = STAGES[stage];
  if (rule.audit !== undefined) {
    const parameters = known(ctx, 'parameters');
    await audit(db, request.log, {
      clientId: parameters.client_id ?? null,
      redirectUri: parameters.redirect_uri ?? null,
      requestedScopes: requestedEnginyScopes(parameters.scope),
      outcome: 'denied',
      ...rule.audit(ctx, error),
    });
  }
  if (refusalAnswer(refusal, ctx.redirectUri) === 'page') {
    const status = rule.pageStatus ?? error.statusCode;
    return sendErrorPage(request, reply, status, error.error, error.description, rule.pageDetails(ctx));
  }
  // RFC 6749 §4.1.2.1: the error goes back to the client's redirect URI, with its state.
  return reply.redirect(
    authorizationResponseUrl(known(ctx, 'redirectUri'), config.auth.issuer, {
      error: error.error,
      error_description: error.description,
      state: known(ctx, 'parameters').state,
    }),
    302,
  );
}
