import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { type LabSwitchRow, shortenToken } from '@enginy/db/queries/failure-lab';
import { findToken } from '@enginy/db/queries/oauth-tokens';
import { labSwitchInForce } from '@enginy/policy/failure-lab';
import { hashSecret } from '@enginy/security/tokens';
import type { TokenResponse } from '../oauth/grants/issue.ts';

/**
 * Failure lab `expire-access --seconds N`: the access token just issued lives N seconds, and
 * `expires_in` says so (RFC 6749 §5.1: "The lifetime in seconds of the access token"). Applied to
 * the answer of either grant, once stored; nothing is read while the scenario is off.
 */
export async function expireAccessLab(
  db: Db,
  config: StackConfig,
  lab: readonly LabSwitchRow[],
  response: TokenResponse,
): Promise<TokenResponse> {
  if (!lab.some((entry) => entry.scenario === 'expire-access')) return response;
  const hash = hashSecret(config.tokenHashKey, response.access_token);
  const token = await findToken(db, hash);
  const entry = token && labSwitchInForce(lab, 'expire-access', token.workspaceId);
  const seconds = entry?.options.seconds;
  if (seconds === undefined) return response;
  await shortenToken(db, hash, new Date(Date.now() + seconds * 1000));
  return { ...response, expires_in: seconds };
}
