import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createAuthorizationRequest } from '@enginy/db/queries/oauth-requests';
import { requestedEnginyScopes } from '@enginy/policy/authorization';
import { redirectUriMatchesClient, redirectUriTrustedUnattended } from '@enginy/policy/redirect-uri';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../audit.ts';
import { UnusableMetadataDocument } from '../clients/cimd.ts';
import { type ResolvedClient, resolveClient } from '../clients/resolve.ts';
import { sendErrorPage } from '../error-page.ts';
import { InvalidRequest, InvalidTarget, OAuthError, UnsupportedResponseType } from '../../errors.ts';
import { isValidChallenge } from '../pkce.ts';
import { authorizationResponseUrl } from '../authorization-response.ts';

export const AUTHORIZE_PATHS = ['/authorize', '/oauth/authorize'] as const;
const PENDING_TTL_SECONDS = 600;

type Query = Record<string, string | undefined>;

function single(query: unknown): Query {
  const result: Query = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    if (Array.isArray(value)) throw new InvalidRequest(`${name} is repeated`);
    if (typeof value !== 'string') continue;
    // Not a character any parameter has, and nothing to store, audit or show back.
    if (value.includes('\u0000')) throw new InvalidRequest(`${name.replaceAll('\u0000', '?')} contains a NUL (%00) character`);
    result[name] = value;
  }
  return result;
}

/** The checks that may answer through the client's redirect URI, once that URI is known to be the client's. */
function checkRequest(q: Query, config: StackConfig): string {
  if (q.response_type !== 'code') throw new UnsupportedResponseType(q.response_type ?? '');
  // OAuth 2.1 §4.1.1 / MCP: PKCE is required, and only S256 is supported.
  if (q.code_challenge === undefined || !isValidChallenge(q.code_challenge)) throw new InvalidRequest('code_challenge (PKCE, S256) is required');
  if (q.code_challenge_method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  // RFC 8707 §2: the resource must be one this server issues tokens for: the MCP endpoint.
  const resource = q.resource ?? config.openapi.mcpUrl;
  if (resource !== config.openapi.mcpUrl) throw new InvalidTarget(`resource must be ${config.openapi.mcpUrl}`);
  return resource;
}

/**
 * GET /authorize: validates the client and redirect URI (check 1) and the request, stores it as a
 * pending authorization and sends the browser to the web app's sign-in and consent page, where the
 * workspace checks (2–5) run for the chosen workspace.
 */
export async function authorizeRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let q: Query;
    try {
      q = single(request.query);
    } catch (error) {
      return sendErrorPage(request, reply, 400, 'invalid_request', (error as Error).message);
    }
    const requestedScopes = requestedEnginyScopes(q.scope);
    const event = { clientId: q.client_id ?? null, redirectUri: q.redirect_uri ?? null, requestedScopes };

    let resolved: ResolvedClient;
    try {
      resolved = await resolveClient(db, config, q.client_id);
    } catch (error) {
      // Only a verdict about the client is an invalid_client; anything else (the database is down) is not.
      if (!(error instanceof OAuthError)) throw error;
      const message = error.description;
      // The fetch's own failure (a socket error, a status) goes to the audit only: echoed to anyone, it
      // would make this endpoint a port scanner (draft-ietf-oauth-client-id-metadata-document §6).
      const detail = error instanceof UnusableMetadataDocument ? { fetchFailure: error.detail ?? null } : {};
      await audit(db, request.log, { ...event, outcome: 'denied', reason: 'unknown_client', details: { clientId: q.client_id ?? null, error: message, ...detail } });
      return sendErrorPage(request, reply, 400, 'invalid_client', message, { client_id: q.client_id ?? '(missing)' });
    }
    const { client, source } = resolved;
    const sourceDetails = source === null ? {} : { clientSource: source, ...(resolved.fetchFailure === undefined ? {} : { fetchFailure: resolved.fetchFailure }) };
    const redirectUri = q.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (redirectUri === undefined || !redirectUriMatchesClient(client, redirectUri)) {
      await audit(db, request.log, {
        ...event,
        outcome: 'denied',
        reason: 'redirect_uri_not_registered',
        details: { sent: q.redirect_uri ?? null, registered: client.redirectUris, ...sourceDetails },
      });
      return sendErrorPage(request, reply, 400, 'invalid_request', 'redirect_uri is not registered for this client', {
        'redirect_uri sent': q.redirect_uri ?? '(missing)',
        'registered redirect URIs': source === 'unverified' ? 'any loopback URI (unverified client, development only)' : client.redirectUris.join(' '),
      });
    }

    let resource: string;
    try {
      resource = checkRequest(q, config);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      await audit(db, request.log, { ...event, outcome: 'denied', reason: error.error, details: { error: error.description, ...sourceDetails } });
      // RFC 9700 §4.18: redirect automatically only to a trusted redirect URI (packages/policy).
      if (!redirectUriTrustedUnattended(redirectUri)) return sendErrorPage(request, reply, error.statusCode, error.error, error.description, { client_id: client.id });
      return reply.redirect(authorizationResponseUrl(redirectUri, config.auth.issuer, { error: error.error, error_description: error.description, state: q.state }), 302);
    }

    const id = await createAuthorizationRequest(
      db,
      { clientId: client.id, redirectUri, scope: q.scope ?? null, state: q.state ?? null, codeChallenge: q.code_challenge as string, resource, clientSource: source },
      PENDING_TTL_SECONDS,
    );
    return reply.header('cache-control', 'no-store').redirect(`${config.web.url}/consent?request=${encodeURIComponent(id)}`, 302);
  };
  // Each request stores a pending authorization: bounded per address.
  for (const url of AUTHORIZE_PATHS) app.get(url, { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, handler);
}
