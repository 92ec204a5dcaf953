import { OAuthError } from '../../errors/service-error.ts';
import { refuseForgottenClient } from '../../lab/forget-client.ts';
import { refuseClientOfOtherIssuer } from '../../lab/issuer-moved.ts';
import { checkClient } from './check-client.ts';
import { checkParameters } from './check-parameters.ts';
import { checkPkce } from './check-pkce.ts';
import { checkRedirectUri } from './check-redirect-uri.ts';
import { checkResource } from './check-resource.ts';
import { checkResponseType } from './check-response-type.ts';
import { type AuthorizeContext, known } from './context.ts';
import type { AuthorizeStage } from './stages.ts';

/** One check of the authorization request: returns when it passes, throws an OAuthError when not. */
export interface AuthorizeCheck {
  name: string;
  /** What is known good when it runs, which decides how its refusal is answered (stages.ts). */
  stage: AuthorizeStage;
  run: (ctx: AuthorizeContext) => void | Promise<void>;
}

/**
 * GET /authorize as an ordered list of checks (node-oidc-provider's authorization action), in RFC
 * order: the query, the client, its redirect URI, then the request itself. The workspace checks
 * (2–5, packages/policy `decideAuthorization`) run later, at consent, for the chosen workspace.
 */
export const AUTHORIZE_CHECKS: readonly AuthorizeCheck[] = [
  { name: 'check-parameters', stage: 'parameters', run: checkParameters },
  { name: 'check-client', stage: 'client', run: checkClient },
  {
    name: 'lab forget-client',
    stage: 'client',
    run: async (ctx) => refuseForgottenClient(known(ctx, 'resolved').client, await ctx.request.labSwitches()),
  },
  {
    name: 'lab issuer-moved',
    stage: 'client',
    run: (ctx) => refuseClientOfOtherIssuer(known(ctx, 'resolved').client, ctx.issuerPath),
  },
  { name: 'check-redirect-uri', stage: 'redirect_uri', run: checkRedirectUri },
  { name: 'check-response-type', stage: 'request', run: checkResponseType },
  { name: 'check-pkce', stage: 'request', run: checkPkce },
  { name: 'check-resource', stage: 'request', run: checkResource },
];

export interface Refusal {
  stage: AuthorizeStage;
  error: OAuthError;
}

/**
 * Runs the checks in order and returns the first refusal, or undefined when all pass. Only an OAuth
 * verdict is a refusal: anything else (the database is down) is thrown on, to the app's handler.
 */
export async function firstRefusal(
  ctx: AuthorizeContext,
  checks: readonly AuthorizeCheck[] = AUTHORIZE_CHECKS,
): Promise<Refusal | undefined> {
  for (const check of checks) {
    try {
      await check.run(ctx);
    } catch (error) {
      if (error instanceof OAuthError) return { stage: check.stage, error };
      throw error;
    }
  }
  return undefined;
}
