import type { Db } from '@enginy/db/client';
import { type LabSwitchRow, takeLabCount } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';

/**
 * Failure lab `token-unavailable`: whether this /token request is one of the next N that fail. The
 * count is taken in the database, so the replicas fail N requests between them; nothing is read
 * while the scenario is off. Asked before the grant, so a refused request spends no code or token.
 */
export async function tokenUnavailableNow(db: Db, lab: readonly LabSwitchRow[]): Promise<boolean> {
  if (labSwitchInForce(lab, 'token-unavailable') === undefined) return false;
  return takeLabCount(db, 'token-unavailable');
}
