import { createAuthorizationRequest } from '@enginy/db/queries/oauth-requests';
import { requestedEnginyScopes } from '@enginy/policy/authorization';
import { redirectUriTrustedUnattended } from '@enginy/policy/redirect-uri';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../audit.ts';
import { OAuthError } from '../../errors/service-error.ts';
import { authorizationResponseUrl } from '../authorization-response.ts';
import { UnusableMetadataDocument } from '../clients/cimd.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { sendErrorPage } from '../error-page.ts';
import { refuseForgottenClient } from '../../lab/forget-client.ts';
import { refuseClientOfOtherIssuer } from '../../lab/issuer-moved.ts';
import { type AuthorizeParameters, checkParameters } from './check-parameters.ts';
import { checkClient, type ResolvedClient } from './check-client.ts';
import { checkPkce } from './check-pkce.ts';
import { checkRedirectUri } from './check-redirect-uri.ts';
import { checkResource } from './check-resource.ts';
import { checkResponseType } from './check-response-type.ts';

const AUTHORIZE_PATHS = ['/authorize', '/oauth/authorize'] as const;

/**
 * GET /authorize (RFC 6749 §4.1.1): the checks below, in order. Until the client and its redirect URI
 * are known good (check 1), a refusal is shown to the user, never redirected (RFC 6749 §4.1.2.1); the
 * request checks after it answer through the redirect URI when it is trusted (RFC 9700 §4.18). An
 * accepted request is stored as a pending authorization and the browser goes to the web app's
 * sign-in and consent page, where the workspace checks (2–5) run for the chosen workspace.
 */
export const authorizeEndpoint: FastifyPluginAsync<AppPluginOptions> = async (app, { config, db, issuerPath }) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let parameters: AuthorizeParameters;
    try {
      parameters = checkParameters(request.query);
    } catch (error) {
      return sendErrorPage(request, reply, 400, 'invalid_request', (error as Error).message);
    }
    const requestedScopes = requestedEnginyScopes(parameters.scope);
    const event = {
      clientId: parameters.client_id ?? null,
      redirectUri: parameters.redirect_uri ?? null,
      requestedScopes,
    };

    // Check 1a: the client.
    let resolved: ResolvedClient;
    try {
      resolved = await checkClient(db, config, parameters.client_id);
      refuseForgottenClient(resolved.client, await request.labSwitches());
      refuseClientOfOtherIssuer(resolved.client, issuerPath ?? null);
    } catch (error) {
      // Only a verdict about the client is an invalid_client; anything else (the database is down) is not.
      if (!(error instanceof OAuthError)) throw error;
      const message = error.description;
      // The fetch's own failure (a socket error, a status) goes to the audit only: echoed to anyone, it
      // would make this endpoint a port scanner (draft-ietf-oauth-client-id-metadata-document §6).
      const detail = error instanceof UnusableMetadataDocument ? { fetchFailure: error.detail ?? null } : {};
      await audit(db, request.log, {
        ...event,
        outcome: 'denied',
        reason: 'unknown_client',
        details: { clientId: parameters.client_id ?? null, error: message, ...detail },
      });
      return sendErrorPage(request, reply, 400, 'invalid_client', message, {
        client_id: parameters.client_id ?? '(missing)',
      });
    }
    const { client, source } = resolved;
    const sourceDetails =
      source === null
        ? {}
        : {
            clientSource: source,
            ...(resolved.fetchFailure === undefined ? {} : { fetchFailure: resolved.fetchFailure }),
          };

    // Check 1b: the redirect URI is the client's.
    const redirectUri = checkRedirectUri(resolved, parameters.redirect_uri);
    if (redirectUri === undefined) {
      await audit(db, request.log, {
        ...event,
        outcome: 'denied',
        reason: 'redirect_uri_not_registered',
        details: { sent: parameters.redirect_uri ?? null, registered: client.redirectUris, ...sourceDetails },
      });
      return sendErrorPage(request, reply, 400, 'invalid_request', 'redirect_uri is not registered for this client', {
        'redirect_uri sent': parameters.redirect_uri ?? '(missing)',
        'registered redirect URIs':
          source === 'unverified'
            ? 'any loopback URI (unverified client, development only)'
            : client.redirectUris.join(' '),
      });
    }

    // The request itself: response type, PKCE, resource.
    let codeChallenge: string;
    let resource: string;
    try {
      checkResponseType(parameters);
      codeChallenge = checkPkce(parameters);
      resource = checkResource(parameters, config);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      await audit(db, request.log, {
        ...event,
        outcome: 'denied',
        reason: error.error,
        details: { error: error.description, ...sourceDetails },
      });
      // RFC 9700 §4.18: redirect automatically only to a trusted redirect URI (packages/policy).
      if (!error.mayRedirect || !redirectUriTrustedUnattended(redirectUri)) {
        return sendErrorPage(request, reply, error.statusCode, error.error, error.description, {
          client_id: client.id,
        });
      }
      // RFC 6749 §4.1.2.1: the error goes back to the client's redirect URI, with its state.
      return reply.redirect(
        authorizationResponseUrl(redirectUri, config.auth.issuer, {
          error: error.error,
          error_description: error.description,
          state: parameters.state,
        }),
        302,
      );
    }

    const id = await createAuthorizationRequest(
      db,
      {
        clientId: client.id,
        redirectUri,
        scope: parameters.scope ?? null,
        state: parameters.state ?? null,
        codeChallenge,
        resource,
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
      { config: { rateLimit: { max: config.oauth.authorizeRateLimitPerMinute, timeWindow: '1 minute' } } },
      handler,
    );
};
