import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { listMemberships } from '@enginy/db/queries/workspaces';
import type { FastifyInstance } from 'fastify';
import { currentSession } from '../../session/session.ts';

/** GET /console/workspaces: the signed-in user's workspaces with their role. */
export async function consoleWorkspaceRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get('/console/workspaces', async (request, reply) => {
    const session = await currentSession(request, db, config);
    const workspaces = await listMemberships(db, session.userId);
    return reply.header('cache-control', 'no-store').send({ workspaces });
  });
}
