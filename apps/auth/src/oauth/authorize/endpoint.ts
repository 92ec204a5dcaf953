import { createAuthorizationRequest } from '@enginy/db/queries/oauth-requests';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { AuthorizeQuery, oauthParameterError } from '../oauth-parameters.ts';
import { compileAsSent } from '../schema-compiler.ts';
import { answerRefusal } from './answer-refusal.ts';
import { firstRefusal } from './checks.ts';
import { type AuthorizeContext, known } from './context.ts';

const AUTHORIZE_PATHS = ['/authorize', '/oauth/authorize'] as const;

/**
 * GET /authorize (RFC 6749 §4.1.1): the checks of checks.ts, in order. The first refusal is answered
 * once (answer-refusal.ts): audited, then shown to the user or, once the client and its redirect URI
 * are known good, sent back to a trusted redirect URI. An accepted request is stored as a pending
 * authorization and the browser goes to the web app's sign-in and consent page, where the workspace
 * checks (2–5) run for the chosen workspace.
 */
export const authorizeEndpoint: FastifyPluginAsync<AppPluginOptions> = async (app, { config, db, issuerPath }) => {
  app.setValidatorCompiler(compileAsSent);
  app.setSchemaErrorFormatter(oauthParameterError);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx: AuthorizeContext = { request, config, db, issuerPath: issuerPath ?? null };
    const refusal = await firstRefusal(ctx);
    if (refusal !== undefined) return answerRefusal(ctx, reply, refusal);

    const parameters = known(ctx, 'parameters');
    const { client, source } = known(ctx, 'resolved');
    const id = await createAuthorizationRequest(
      db,
      {
        clientId: client.id,
        redirectUri: known(ctx, 'redirectUri'),
        scope: parameters.scope ?? null,
        state: parameters.state ?? null,
        codeChallenge: known(ctx, 'codeChallenge'),
        resource: known(ctx, 'resource'),
        clientSource: source,
        issuerPath: issuerPath ?? null,
      },
      config.oauth.pendingRequestTtlSeconds,
    );
    return reply
      .header('cache-control', 'no-store')
      .redirect(`${config.web.url}/consent?request=${encodeURIComponent(id)}`, 302);
  };
  // Each request stores a pending authorization: bounded per address.
  for (const url of AUTHORIZE_PATHS)
    app.get(
      url,
      {
        config: { rateLimit: { max: config.oauth.authorizeRateLimitPerMinute, timeWindow: '1 minute' } },
        schema: { querystring: AuthorizeQuery },
        // A malformed query is refused by check-parameters, as an error page (checks.ts), not by the app's handler.
        attachValidation: true,
      },
      handler,
    );
};
