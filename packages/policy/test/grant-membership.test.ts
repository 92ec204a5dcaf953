import { describe, expect, it } from 'vitest';
import { grantEndedByMembership } from '../src/grant-membership.ts';

describe('grantEndedByMembership (a grant stands only while its user is a member)', () => {
  it.each([
    { member: true, revokedReason: null, ended: false },
    { member: false, revokedReason: null, ended: true },
    // Removed, then added back: the grant given before stays ended.
    { member: true, revokedReason: 'member_removed', ended: true },
    { member: false, revokedReason: 'member_removed', ended: true },
    // Revoked for another reason: ended, but not by membership.
    { member: true, revokedReason: 'revoked_by_client', ended: false },
    { member: false, revokedReason: 'refresh_token_reuse', ended: true },
  ])('member $member, revoked for $revokedReason → ended by membership: $ended', ({ ended, ...grant }) => {
    expect(grantEndedByMembership(grant)).toBe(ended);
  });
});
