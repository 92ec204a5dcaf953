import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';

/**
 * Failure lab `resource-mismatch`: the `resource` the protected-resource metadata states. Off, the
 * MCP URL itself. On, the URL with a trailing slash, the mismatch clients meet in the field (and
 * that lenient clients "normalise" away): RFC 9728 §3.3, "If these values are not identical, the
 * data contained in the response MUST NOT be used", so a correct client stops here.
 */
export function statedResource(mcpUrl: string, lab: readonly LabSwitchRow[]): string {
  return labSwitchInForce(lab, 'resource-mismatch') === undefined ? mcpUrl : `${mcpUrl}/`;
}
