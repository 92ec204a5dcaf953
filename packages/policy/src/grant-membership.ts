// A grant stands only while its user is a member of its workspace.

/**
 * The reason a grant is revoked with when its user leaves the workspace: migration 0011's triggers
 * write it, the connections page shows it ("ended: member removed").
 */
export const MEMBER_REMOVED = 'member_removed';

export interface GrantMembership {
  /** The grant's user is a member of the grant's workspace now. */
  member: boolean;
  /** Why the grant was revoked, if it was. */
  revokedReason: string | null;
}

/**
 * Whether membership has ended the grant: the user is no longer a member, or was removed since the
 * grant was made (it stays ended even if they have joined again: consent given as a member of
 * yesterday does not carry over to a new membership, which authorizes anew). RFC 6749 §5.2
 * `invalid_grant`: the grant "is invalid, expired, revoked".
 */
export function grantEndedByMembership(grant: GrantMembership): boolean {
  return !grant.member || grant.revokedReason === MEMBER_REMOVED;
}
