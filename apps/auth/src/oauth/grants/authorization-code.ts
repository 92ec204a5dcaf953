import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { createGrant, revokeGrant } from '@enginy/db/queries/oauth-grants';
import { claimCode, findCode, linkCodeToGrant } from '@enginy/db/queries/oauth-tokens';
import { issuedHere } from '@enginy/policy/failure-lab';
import { grantEndedByMembership } from '@enginy/policy/grant-membership';
import { spentCodeVerdict } from '@enginy/policy/spent-code';
import { hashSecret } from '@enginy/security/tokens';
import { InvalidGrant, InvalidRequest, InvalidTarget } from '../../errors/classes.ts';
import { verifierMatches } from '../pkce.ts';
import { issueTokenPair, type TokenResponse } from './issue.ts';

const REPLAYED = 'The authorization code was already used; the tokens it issued are revoked';
const ANOTHER_CLIENT = 'The authorization code was issued to another client';
const ANOTHER_ISSUER = 'The authorization code was issued by another issuer';
const PKCE_FAILED = 'PKCE verification failed: code_verifier does not match code_challenge';

/** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6) and resource indicators (RFC 8707 §2.2). */
export async function redeemAuthorizationCode(
  db: Db,
  config: StackConfig,
  client: OAuthClient,
  body: Record<string, string | undefined>,
  issuerPath: string | null = null,
): Promise<TokenResponse> {
  const { code, redirect_uri: redirectUri, code_verifier: verifier, resource } = body;
  if (code === undefined || code === '') throw new InvalidRequest('code is required');
  if (verifier === undefined) throw new InvalidRequest('code_verifier is required (PKCE)');
  const codeHash = hashSecret(config.tokenHashKey, code);
  const row = await findCode(db, codeHash);
  if (row === undefined) throw new InvalidGrant('Unknown or expired authorization code');
  const issuedToThisClient = row.client_id === client.id;
  const pkceOk = verifierMatches(verifier, row.code_challenge);
  // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST
  // deny the request and SHOULD revoke (when possible) all tokens previously issued based on that code."
  // Denied always; revoked only when its owner replays it (packages/policy spent-code): the same client
  // and, for a public one, the right verifier. RFC 9700 §2.1.1: "the authorization server MUST enforce
  // the correct usage of code_verifier at the token endpoint".
  if (row.used_at !== null) {
    const verdict = spentCodeVerdict({
      issuedToThisClient,
      clientAuthenticated: client.secretHash !== null,
      verifierMatches: pkceOk,
    });
    if (verdict === 'revoke') return replayed(db, codeHash);
    // Anyone else who holds the spent code changes nothing, and learns no more than for a fresh one.
    throw new InvalidGrant(verdict === 'another_client' ? ANOTHER_CLIENT : PKCE_FAILED);
  }
  // RFC 6749 §4.1.3: the code was issued to this client, and redirect_uri is identical to the one authorized.
  if (!issuedToThisClient) throw new InvalidGrant(ANOTHER_CLIENT);
  // SEP-2352 (failure lab issuer-moved): a code is redeemed only at the issuer that issued it.
  if (!issuedHere(row.issuer_path, issuerPath)) throw new InvalidGrant(ANOTHER_ISSUER);
  if (redirectUri !== row.redirect_uri) throw new InvalidGrant('redirect_uri does not match the authorization request');
  if (!pkceOk) throw new InvalidGrant(PKCE_FAILED);
  if (resource !== undefined && resource !== row.resource)
    throw new InvalidTarget(`resource must be ${row.resource}, as in the authorization request`);
  if (row.expires_at.getTime() <= Date.now()) throw new InvalidGrant('The authorization code has expired');
  // A grant stands only while its user is a member of its workspace: a code approved
  // before the user was removed makes none. RFC 6749 §5.2 invalid_grant: the grant "is invalid".
  if (grantEndedByMembership({ member: row.member, revokedReason: null }))
    throw new InvalidGrant('The user is no longer a member of this workspace');

  const issued = await db.transaction().execute(async (trx) => {
    const claimed = await claimCode(trx, codeHash);
    if (claimed === undefined) return undefined; // another redemption won the race
    const grantId = await createGrant(trx, {
      workspaceId: claimed.workspace_id,
      userId: claimed.user_id,
      clientId: claimed.client_id,
      redirectUri: claimed.redirect_uri,
      scopes: claimed.scopes,
      resource: claimed.resource,
      issuerPath: claimed.issuer_path,
    });
    await linkCodeToGrant(trx, codeHash, grantId);
    return issueTokenPair(trx, config, grantId, claimed.scopes);
  });
  return issued ?? replayed(db, codeHash);
}

async function replayed(db: Db, codeHash: string): Promise<never> {
  const row = await findCode(db, codeHash);
  if (row?.grant_id) await revokeGrant(db, row.grant_id, 'authorization_code_replay');
  throw new InvalidGrant(REPLAYED);
}
