import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { issuerAt, labSwitchInForce, MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';

/**
 * Failure lab `issuer-moved`: the authorization server the protected-resource metadata names. Off,
 * the stack's issuer. On, the second issuer the auth service serves at the issuer URL plus a path
 * (apps/auth/src/lab/issuer-moved.ts), where the old issuer's clients and tokens are unknown:
 * SEP-2352, a client discovers the new authorization server and registers again.
 */
export function statedAuthorizationServer(issuer: string, lab: readonly LabSwitchRow[]): string {
  return labSwitchInForce(lab, 'issuer-moved') === undefined ? issuer : issuerAt(issuer, MOVED_ISSUER_PATH);
}
