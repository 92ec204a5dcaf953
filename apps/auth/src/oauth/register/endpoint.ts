import { createHash, randomUUID } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { countUnusedDynamicClientsFrom, registerDynamicClient } from '@enginy/db/queries/oauth-clients';
import { cleanClientName } from '@enginy/policy/client-name';
import { isLoopbackRedirectUri, redirectUriRegistrable } from '@enginy/policy/redirect-uri';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidClientMetadata, InvalidRedirectUri, TemporarilyUnavailable } from '../../errors.ts';
import { sourceAddress } from '../../source-address.ts';

export const REGISTER_PATHS = ['/register', '/oauth/register'] as const;
/**
 * Registration is open to anyone, so each address may hold this many clients that never completed a
 * grant (they expire a day after registering: jobs/purge-expired.ts). Per address, not one global
 * count: a global cap let one caller shut registration off for everyone.
 */
export const MAX_UNUSED_CLIENTS_PER_ADDRESS = 100;
/** The purge runs hourly: by then the oldest unused clients may have expired. */
const CAP_RETRY_AFTER_SECONDS = 3600;
const AUTH_METHODS = new Set(['none', 'client_secret_post', 'client_secret_basic']);

function stringList(value: unknown, field: string, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new InvalidClientMetadata(`${field} must be an array of strings`);
  return value;
}

/**
 * RFC 7591 dynamic registration, accepting what Claude Code and mcp-remote send (no
 * `application_type`; all-loopback redirect URIs mean a native app). Registration is anonymous.
 */
export async function registerRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const redirectUris = stringList(body.redirect_uris, 'redirect_uris', []);
    // RFC 7591 §2: redirect_uris is required for redirect-based flows.
    if (redirectUris.length === 0) throw new InvalidRedirectUri('redirect_uris must list at least one URI');
    const bad = redirectUris.find((uri) => !redirectUriRegistrable(uri));
    if (bad !== undefined) throw new InvalidRedirectUri(`${bad} is not a valid redirect URI (https, or http on localhost/127.0.0.1)`);
    const grantTypes = stringList(body.grant_types, 'grant_types', ['authorization_code', 'refresh_token']);
    if (!grantTypes.includes('authorization_code') || grantTypes.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) {
      throw new InvalidClientMetadata('grant_types must be authorization_code, optionally with refresh_token');
    }
    const responseTypes = stringList(body.response_types, 'response_types', ['code']);
    if (responseTypes.some((r) => r !== 'code')) throw new InvalidClientMetadata('response_types must be ["code"]');
    const method = body.token_endpoint_auth_method ?? 'none';
    if (typeof method !== 'string' || !AUTH_METHODS.has(method)) throw new InvalidClientMetadata('token_endpoint_auth_method must be none, client_secret_post or client_secret_basic');
    const name = cleanClientName(body.client_name, 'Unnamed MCP client');
    const applicationType = body.application_type ?? (redirectUris.every(isLoopbackRedirectUri) ? 'native' : 'web');

    // RFC 7591 §3: registration requests with no authorization "MAY be rate-limited or otherwise
    // limited to prevent a denial-of-service attack on the client registration endpoint". The
    // address is the caller's, forwarded by the OpenAPI service's aliases (app.ts: trusted proxies).
    const source = sourceAddress(request.ip);
    if ((await countUnusedDynamicClientsFrom(db, source)) >= MAX_UNUSED_CLIENTS_PER_ADDRESS) {
      reply.header('retry-after', String(CAP_RETRY_AFTER_SECONDS));
      throw new TemporarilyUnavailable('Too many registered clients from this address; try again later');
    }

    const confidential = method !== 'none';
    const clientSecret = confidential ? newSecret('ecs_') : undefined;
    const metadata = {
      client_name: name,
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: responseTypes,
      token_endpoint_auth_method: method,
      application_type: applicationType,
    };
    // Identical public registrations from one address reuse one client (a secret cannot be shown twice,
    // so confidential registrations are always new). The caller's own address, not the proxy's: else
    // anyone registering through the OpenAPI aliases got the very client ID another caller pinned.
    const fingerprint = confidential ? null : createHash('sha256').update(JSON.stringify({ ...metadata, ip: request.ip })).digest('base64url');
    const { client } = await registerDynamicClient(db, randomUUID(), {
      kind: 'dynamic',
      name,
      redirectUris,
      tokenEndpointAuthMethod: method as 'none',
      metadata,
      secretHash: clientSecret === undefined ? null : hashSecret(config.tokenHashKey, clientSecret),
      fingerprint,
      registeredFrom: source,
    });
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({
        client_id: client.id,
        client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
        ...metadata,
        ...(clientSecret === undefined ? {} : { client_secret: clientSecret, client_secret_expires_at: 0 }),
      });
  };
  for (const url of REGISTER_PATHS) {
    // Per caller address (request.ip), as forwarded by the stack's own proxies.
    app.post(url, { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, handler);
  }
}
