// Who may remove whom from a workspace. Pure: the console API decides with it, and the Members page
// shows the same answer (a disabled Remove button with the reason) before anyone clicks.

export type WorkspaceRole = 'admin' | 'member';

export interface MemberRemoval {
  /** The signed-in person asking, in this workspace. */
  actor: { userId: string; role: string };
  /** Whom they want removed: undefined when that id is not a member of the workspace. */
  target: { userId: string; email: string; role: string } | undefined;
  /** How many admins the workspace has now, the target included. */
  adminCount: number;
  workspaceName: string;
}

export type MemberRemovalDecision =
  | { allowed: true }
  | { allowed: false; code: 'forbidden' | 'not_found' | 'last_admin'; message: string };

/**
 * Admins remove members (themselves included), but never the last admin: a workspace without an
 * admin could no longer change its MCP settings, revoke a connection or add an admin back.
 */
export function decideMemberRemoval({
  actor,
  target,
  adminCount,
  workspaceName,
}: MemberRemoval): MemberRemovalDecision {
  if (actor.role !== 'admin')
    return {
      allowed: false,
      code: 'forbidden',
      message: `Only an admin of ${workspaceName} can remove members; your role is ${actor.role}`,
    };
  if (target === undefined)
    return { allowed: false, code: 'not_found', message: `That person is not a member of ${workspaceName}` };
  if (target.role === 'admin' && adminCount <= 1) {
    const self = target.userId === actor.userId;
    return {
      allowed: false,
      code: 'last_admin',
      message: `${self ? 'You are' : `${target.email} is`} the only admin of ${workspaceName}, and a workspace needs an admin to manage it: add another admin before removing ${self ? 'yourself' : 'them'}.`,
    };
  }
  return { allowed: true };
}
