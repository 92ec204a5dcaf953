import { describe, expect, it } from 'vitest';
import { decideMemberRemoval } from '../src/member-removal.ts';

const ADMIN = { userId: 'a', email: 'dev@enginy.local', role: 'admin' };
const OTHER_ADMIN = { userId: 'b', email: 'ops@enginy.local', role: 'admin' };
const MEMBER = { userId: 'm', email: 'member@enginy.local', role: 'member' };
const WS = 'Acme Outreach';

describe('decideMemberRemoval', () => {
  it.each([
    ['an admin removes a member', ADMIN, MEMBER, 1, null],
    ['an admin removes another admin while one remains', ADMIN, OTHER_ADMIN, 2, null],
    ['an admin removes themselves while another admin remains', ADMIN, ADMIN, 2, null],
    ['a member cannot remove anyone', MEMBER, MEMBER, 1, 'forbidden'],
    ['a member cannot remove an admin', MEMBER, ADMIN, 2, 'forbidden'],
    ['an unknown role is not an admin', { ...ADMIN, role: 'owner' }, MEMBER, 1, 'forbidden'],
    ['someone who is not a member of the workspace', ADMIN, undefined, 1, 'not_found'],
    ['the only admin cannot remove themselves', ADMIN, ADMIN, 1, 'last_admin'],
    ['the only admin, removed by someone else (a stale count)', OTHER_ADMIN, ADMIN, 1, 'last_admin'],
  ] as const)('%s', (_case, actor, target, adminCount, refused) => {
    const decision = decideMemberRemoval({ actor, target, adminCount, workspaceName: WS });
    expect(decision.allowed ? null : decision.code).toBe(refused);
  });

  it('the last-admin refusal names the workspace and says what to do, in words for the one asking', () => {
    const self = decideMemberRemoval({ actor: ADMIN, target: ADMIN, adminCount: 1, workspaceName: WS });
    expect(self).toEqual({
      allowed: false,
      code: 'last_admin',
      message:
        'You are the only admin of Acme Outreach, and a workspace needs an admin to manage it: add another admin before removing yourself.',
    });
    const other = decideMemberRemoval({ actor: OTHER_ADMIN, target: ADMIN, adminCount: 1, workspaceName: WS });
    expect(other.allowed === false && other.message).toMatch(/^dev@enginy\.local is the only admin of Acme Outreach/);
  });

  it('a member is told their role', () => {
    const decision = decideMemberRemoval({ actor: MEMBER, target: ADMIN, adminCount: 1, workspaceName: WS });
    expect(decision.allowed === false && decision.message).toBe(
      'Only an admin of Acme Outreach can remove members; your role is member',
    );
  });
});
