import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '@enginy/service/http-errors';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { TemporarilyUnavailable, UnauthorizedClient, UnsupportedGrantType } from '../../errors/classes.ts';
import { OAuthError } from '../../errors/service-error.ts';
import { authenticateClient } from '../clients/authenticate.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { FormParameters, oauthParameterError, requireFormBody } from '../oauth-parameters.ts';
import { compileAsSent } from '../schema-compiler.ts';
import { redeemAuthorizationCode } from '../grants/authorization-code.ts';
import { auditFailedExchange } from '../grants/exchange-audit.ts';
import { RefreshService } from '../grants/refresh.ts';
import { expireAccessLab } from '../../lab/expire-access.ts';
import { refuseForgottenClient } from '../../lab/forget-client.ts';
import { refuseClientOfOtherIssuer } from '../../lab/issuer-moved.ts';
import { tokenUnavailableNow } from '../../lab/token-unavailable.ts';

export const TOKEN_PATHS = ['/token', '/oauth/token'] as const;

/**
 * POST /token (RFC 6749 §3.2): the form body (§3.2, oauth-parameters.ts), the client's authentication (§3.2.1, §2.3),
 * then the grant: an authorization code (§4.1.3, grants/authorization-code.ts) or a refresh token
 * (§6, grants/refresh.ts). Nothing else is granted.
 */
export const tokenEndpoint: FastifyPluginAsync<AppPluginOptions> = async (app, { config, db, issuerPath }) => {
  const issuedAt = issuerPath ?? null;
  const refresh = new RefreshService(db, config, issuedAt);
  const grant = async (
    request: FastifyRequest,
    body: Record<string, string | undefined>,
    lab: readonly LabSwitchRow[],
  ) => {
    const client = await authenticateClient(db, config, request.headers.authorization, body);
    refuseForgottenClient(client, lab);
    refuseClientOfOtherIssuer(client, issuedAt);
    switch (body.grant_type) {
      case 'authorization_code':
        return redeemAuthorizationCode(db, config, client, body, issuedAt);
      case 'refresh_token':
        return refresh.refresh(client, body, {
          retryGrace: (workspaceId) => labSwitchInForce(lab, 'refresh-no-grace', workspaceId) === undefined,
        });
      case 'client_credentials':
        throw new UnauthorizedClient('This client may not use the client_credentials grant');
      default:
        // RFC 6749 §5.2: "unsupported_grant_type: The authorization grant type is not supported".
        throw new UnsupportedGrantType(body.grant_type ?? '');
    }
  };
  app.setValidatorCompiler(compileAsSent);
  app.setSchemaErrorFormatter(oauthParameterError);
  // RFC 6749 §5.1: "Cache-Control: no-store" on every response with tokens (errors too, here).
  const noStore = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  };
  const handler = async (request: FastifyRequest<{ Body: Static<typeof FormParameters> }>, reply: FastifyReply) => {
    const body = request.body;
    // The failure lab (`pnpm lab`): none of it in force costs one fence, no query.
    const lab = await request.labSwitches();
    if (await tokenUnavailableNow(db, lab)) {
      // RFC 6749 §5.2 has no code for this at /token; §4.1.2.1's temporarily_unavailable, with a 503
      // and Retry-After (RFC 9110 §15.6.4, §10.2.3), is what a real outage answers (errors/handler.ts).
      throw new TemporarilyUnavailable(
        'The token endpoint is unavailable (failure lab: token-unavailable); try again shortly',
        { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
      );
    }
    try {
      return reply.send(await expireAccessLab(db, config, lab, await grant(request, body, lab)));
    } catch (error) {
      // A code exchange that fails after consent is why "no active connection appears": the
      // console's attempts list must show it, with the reason (PKCE mismatch, wrong secret, …).
      if (error instanceof OAuthError && body.grant_type === 'authorization_code')
        await auditFailedExchange(db, config, request, body, error);
      throw error;
    }
  };
  for (const url of TOKEN_PATHS) {
    app.post<{ Body: Static<typeof FormParameters> }>(
      url,
      {
        config: { rateLimit: { max: config.oauth.tokenRateLimitPerMinute, timeWindow: '1 minute' } },
        preValidation: [noStore, requireFormBody],
        schema: { body: FormParameters },
      },
      handler,
    );
  }
};
