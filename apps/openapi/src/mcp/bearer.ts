import type { StackConfig } from '@enginy/config/load';
import { hashSecret } from '@enginy/security/tokens';
import type { ActiveAccessToken, TokenLookups } from './token-lookups.ts';

/** The exact text Enginy documents for a token the MCP server will not accept. */
export const TOKEN_VALIDATION_FAILED = 'Token validation failed';

export type BearerCheck =
  /** `bearer`: the token as sent; `token`: what it stands for. */
  | { ok: true; bearer: string; token: ActiveAccessToken }
  /** `error` absent: no credential at all (RFC 6750 §3.1: then the challenge carries no error code). */
  | { ok: false; status: 401; error?: 'invalid_token' | 'invalid_request'; reason: string }
  | { ok: false; status: 403; error: 'insufficient_scope'; reason: string };

/**
 * Checks the `Authorization: Bearer` header of an MCP request (RFC 6750 §2.1: the header only; a
 * token in the query string or body is never looked at). The token must be live, minted for this
 * MCP resource (RFC 8707 audience), its user still a member of its workspace, and the workspace must
 * still have MCP enabled.
 */
export async function checkBearer(
  lookups: TokenLookups,
  config: StackConfig,
  authorization: string | undefined,
): Promise<BearerCheck> {
  if (authorization === undefined || authorization.trim() === '')
    return { ok: false, status: 401, reason: 'No bearer token: authorize this client first.' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
  if (match === null)
    return {
      ok: false,
      status: 401,
      error: 'invalid_request',
      reason: 'The Authorization header must be "Bearer <token>".',
    };
  const bearer = match[1] as string;
  const token = await lookups.find(hashSecret(config.tokenHashKey, bearer));
  if (token === undefined) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason: `${TOKEN_VALIDATION_FAILED}: the token is unknown, expired or revoked.`,
    };
  }
  // A grant is alive only while its user is a member of its workspace. RFC 6750 §3.1
  // invalid_token: "The access token provided is expired, revoked, malformed, or invalid for other reasons."
  if (!token.member) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason: `${TOKEN_VALIDATION_FAILED}: the user is no longer a member of this workspace.`,
    };
  }
  if (token.resource !== config.openapi.mcpUrl) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason: `${TOKEN_VALIDATION_FAILED}: the token was issued for ${token.resource}, not ${config.openapi.mcpUrl}.`,
    };
  }
  if (!token.mcpEnabled) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason: `${TOKEN_VALIDATION_FAILED}: the MCP integration is disabled for this workspace.`,
    };
  }
  if (token.effectiveScopes.length === 0) {
    return {
      ok: false,
      status: 403,
      error: 'insufficient_scope',
      reason: token.policyActive
        ? "The workspace's MCP policy grants none of this connection's scopes."
        : "The workspace's MCP policy is inactive.",
    };
  }
  return { ok: true, bearer, token };
}

/** The `WWW-Authenticate` challenge (RFC 6750 §3, MCP authorization: `resource_metadata` and `scope`). */
export function challenge(
  config: StackConfig,
  scopes: readonly string[],
  failure?: Exclude<BearerCheck, { ok: true }>,
): string {
  const parts = [`resource_metadata="${protectedResourceMetadataUrl(config)}"`];
  if (scopes.length > 0) parts.push(`scope="${scopes.join(' ')}"`);
  if (failure?.error !== undefined) {
    parts.unshift(`error="${failure.error}"`);
    parts.push(
      `error_description="${failure.error === 'invalid_token' ? TOKEN_VALIDATION_FAILED : failure.reason.replaceAll('"', "'")}"`,
    );
  }
  return `Bearer ${parts.join(', ')}`;
}

/** RFC 9728 §3.1: the well-known URI with the resource's path appended. */
export function protectedResourceMetadataUrl(config: StackConfig): string {
  const url = new URL(config.openapi.mcpUrl);
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname}`;
}
