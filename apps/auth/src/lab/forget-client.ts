import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { clientForgottenByLab, labSwitchInForce } from '@enginy/policy/failure-lab';
import { InvalidClient } from '../errors/classes.ts';

/**
 * Failure lab `forget-client`: refuses a dynamically registered client that existed when the
 * scenario went on, in the very words an unknown client_id gets (clients/resolve.ts), as a server
 * that pruned it would. Nothing is deleted: switched off, the client works again.
 */
export function refuseForgottenClient(client: OAuthClient, lab: readonly LabSwitchRow[]): void {
  if (clientForgottenByLab(lab, client))
    throw new InvalidClient(`Unknown client_id ${client.id}; register the client again`);
}

/**
 * What sets a registration apart while forget-client is on: identical registrations from one address
 * reuse one client (register/endpoint.ts), and a client that registers again must not be handed the
 * forgotten one back. Empty while the scenario is off, so the fingerprint is as always.
 */
export function forgetClientSalt(lab: readonly LabSwitchRow[]): { forgottenBefore?: string } {
  const at = labSwitchInForce(lab, 'forget-client')?.switchedOnAt;
  return at === undefined ? {} : { forgottenBefore: at.toISOString() };
}
