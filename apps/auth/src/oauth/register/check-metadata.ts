import { clientMetadataProblem } from '@enginy/policy/client-metadata';
import { InvalidClientMetadata } from '../../errors/classes.ts';

/**
 * Every field the server reads has its kind (packages/policy client-metadata: a closed set, text or a
 * URL). RFC 7591 §3.2.2: "invalid_client_metadata: The value of one of the client metadata fields is
 * invalid and the server has rejected this request." The description names the field.
 */
export function checkMetadata(metadata: Record<string, unknown>): void {
  const refused = clientMetadataProblem(metadata);
  if (refused !== undefined) throw new InvalidClientMetadata(`${refused.field} ${refused.problem}`);
}
