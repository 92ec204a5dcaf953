import { randomBytes, randomUUID } from 'node:crypto';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Response } from 'express';

const ACCESS_TTL_SECONDS = 3600;

interface Issued {
  clientId: string;
  scopes: string[];
  resource?: URL;
}

/** Clients registered through the SDK's DCR handler, kept in a Map. */
class MemoryClients implements OAuthRegisteredClientsStore {
  private readonly clients = new Map<string, OAuthClientInformationFull>();

  getClient(clientId: string): OAuthClientInformationFull | undefined {
    return this.clients.get(clientId);
  }

  registerClient(
    client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>,
  ): OAuthClientInformationFull {
    const full = { ...client, client_id: randomUUID(), client_id_issued_at: Math.floor(Date.now() / 1000) };
    this.clients.set(full.client_id, full);
    return full;
  }
}

/**
 * The in-memory authorization server of the SDK's own examples, rewritten for the benchmark: the
 * user is taken as signed in and consenting (so /authorize redirects at once with a code), codes
 * carry their PKCE challenge, tokens live in Maps. Bearer verification is one Map lookup plus the
 * expiry check, which is the cheapest a verifier can be: the baseline the peer sets.
 */
export class MemoryOAuthProvider implements OAuthServerProvider {
  readonly clientsStore = new MemoryClients();
  private readonly codes = new Map<string, Issued & { challenge: string; redirectUri: string }>();
  private readonly accessTokens = new Map<string, Issued & { expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Issued>();

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId: client.client_id,
      scopes: params.scopes ?? [],
      challenge: params.codeChallenge,
      redirectUri: params.redirectUri,
      ...(params.resource ? { resource: params.resource } : {}),
    });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    res.redirect(target.href);
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    const code = this.codes.get(authorizationCode);
    if (code === undefined || code.clientId !== client.client_id)
      throw new InvalidGrantError('Invalid authorization code');
    return code.challenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<OAuthTokens> {
    const code = this.codes.get(authorizationCode);
    if (code === undefined || code.clientId !== client.client_id)
      throw new InvalidGrantError('Invalid authorization code');
    this.codes.delete(authorizationCode);
    return this.issue({
      clientId: code.clientId,
      scopes: code.scopes,
      ...(code.resource ? { resource: code.resource } : {}),
    });
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    const grant = this.refreshTokens.get(refreshToken);
    if (grant === undefined || grant.clientId !== client.client_id)
      throw new InvalidGrantError('Invalid refresh token');
    this.refreshTokens.delete(refreshToken);
    return this.issue(grant);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const issued = this.accessTokens.get(token);
    if (issued === undefined || issued.expiresAt < Date.now() / 1000)
      throw new InvalidTokenError('Invalid or expired token');
    return {
      token,
      clientId: issued.clientId,
      scopes: issued.scopes,
      expiresAt: issued.expiresAt,
      ...(issued.resource ? { resource: issued.resource } : {}),
    };
  }

  private issue(grant: Issued): OAuthTokens {
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    this.accessTokens.set(accessToken, { ...grant, expiresAt: Math.floor(Date.now() / 1000) + ACCESS_TTL_SECONDS });
    this.refreshTokens.set(refreshToken, grant);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TTL_SECONDS,
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  }
}
