import { MemberList, MemberParams, RemovedMember, WorkspaceParams } from '@enginy/contracts/console';
import { listMembers, removeMember } from '@enginy/db/queries/members';
import { decideMemberRemoval } from '@enginy/policy/member-removal';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../audit.ts';
import { callerOf, isUuid } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { errorOf, ValidationFailed } from '../errors/classes.ts';
import { iso } from './wire.ts';

/** The workspace's members (everyone may see who is in it) and removing one (admins only). */
export const memberRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { db, access }) => {
  app.get(
    '/console/workspaces/:id/members',
    { preValidation: access.member, schema: { params: WorkspaceParams, response: { 200: MemberList } } },
    async (request, reply) => {
      const members = await listMembers(db, callerOf(request).workspace.id);
      return reply
        .header('cache-control', 'no-store')
        .send({ members: members.map((m) => ({ ...m, joinedAt: iso(m.joinedAt) })) });
    },
  );

  app.delete(
    '/console/workspaces/:id/members/:userId',
    { preValidation: access.admin, schema: { params: MemberParams, response: { 200: RemovedMember } } },
    async (request, reply) => {
      const caller = callerOf(request);
      // A malformed id is a wrong field, not an unknown member: say which field.
      const userId = request.params.userId;
      if (!isUuid(userId)) throw new ValidationFailed('userId', userId, "must be a member's user id (a UUID)");
      const { member, endedConnections } = await removeMember(db, caller.workspace.id, userId, (target, all) => {
        const decision = decideMemberRemoval({
          actor: { userId: caller.userId, role: caller.workspace.role },
          target,
          adminCount: all.filter((m) => m.role === 'admin').length,
          workspaceName: caller.workspace.name,
        });
        if (!decision.allowed) throw errorOf(decision.code, decision.message);
      });
      await audit(
        db,
        request.log,
        adminEvent(caller, 'member_removed', {
          memberId: member.userId,
          memberEmail: member.email,
          memberRole: member.role,
          endedConnections,
        }),
      );
      return reply.send({ removed: member.userId, email: member.email, endedConnections });
    },
  );
};
