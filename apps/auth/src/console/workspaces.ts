import { WorkspaceList } from '@enginy/contracts/console';
import { listMemberships } from '@enginy/db/queries/workspaces';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentSession } from '../session/session.ts';
import type { ConsoleDeps } from './deps.ts';

/** GET /console/workspaces: the signed-in user's workspaces with their role. */
export const workspaceRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { config, db }) => {
  app.get('/console/workspaces', { schema: { response: { 200: WorkspaceList } } }, async (request, reply) => {
    const session = await currentSession(request, db, config);
    const workspaces = await listMemberships(db, session.userId);
    return reply.header('cache-control', 'no-store').send({ workspaces });
  });
};
