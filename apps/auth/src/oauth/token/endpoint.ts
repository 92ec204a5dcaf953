import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../clients/authenticate.ts';
import { InvalidRequest, OAuthError, UnauthorizedClient, UnsupportedGrantType } from '../../errors.ts';
import { auditFailedExchange } from '../grants/exchange-audit.ts';
import { redeemAuthorizationCode } from '../grants/authorization-code.ts';
import { RefreshService } from '../grants/refresh.ts';

export const TOKEN_PATHS = ['/token', '/oauth/token'] as const;

/** A form body as single strings; RFC 6749 §3.2: parameters MUST NOT be included more than once. */
export function formParams(request: FastifyRequest): Record<string, string | undefined> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    // RFC 6749 §3.2: the client uses "application/x-www-form-urlencoded" for the token request.
    throw new InvalidRequest('The body must be application/x-www-form-urlencoded');
  }
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequest(`${name} is repeated`);
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}

export async function tokenRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  const refresh = new RefreshService(db, config);
  const grant = async (request: FastifyRequest, body: Record<string, string | undefined>) => {
    const client = await authenticateClient(db, config, request.headers.authorization, body);
    switch (body.grant_type) {
      case 'authorization_code':
        return redeemAuthorizationCode(db, config, client, body);
      case 'refresh_token':
        return refresh.refresh(client, body);
      case 'client_credentials':
        throw new UnauthorizedClient('This client may not use the client_credentials grant');
      default:
        throw new UnsupportedGrantType(body.grant_type ?? '');
    }
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // RFC 6749 §5.1: "Cache-Control: no-store" on every response with tokens (errors too, here).
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const body = formParams(request);
    try {
      return reply.send(await grant(request, body));
    } catch (error) {
      // A code exchange that fails after consent is why "no active connection appears": the
      // console's attempts list must show it, with the reason (PKCE mismatch, wrong secret, …).
      if (error instanceof OAuthError && body.grant_type === 'authorization_code') await auditFailedExchange(db, config, request, body, error);
      throw error;
    }
  };
  for (const url of TOKEN_PATHS) {
    app.post(url, { config: { rateLimit: { max: config.oauth.tokenRateLimitPerMinute, timeWindow: '1 minute' } } }, handler);
  }
}
