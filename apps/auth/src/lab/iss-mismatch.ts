import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';

/**
 * Failure lab `iss-mismatch`: the `iss` the authorization response carries. Off, this server's issuer.
 * On, another URL on the same origin, so that a client comparing less than the whole string (an
 * origin, a prefix) is caught too: RFC 9207 §2.4, "If the value does not match the expected issuer
 * identifier, clients MUST reject the authorization response and MUST NOT proceed with the
 * authorization grant."
 */
export function statedIssuer(issuer: string, lab: readonly LabSwitchRow[]): string {
  return labSwitchInForce(lab, 'iss-mismatch') === undefined ? issuer : `${issuer}/failure-lab-wrong-issuer`;
}
