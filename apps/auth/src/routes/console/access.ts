// Who may do what in the console: members read, admins write. Every write also carries the
// session's CSRF token and comes from the web app's origin (the same rule as consent).
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { listMemberships } from '@enginy/db/queries/workspaces';
import type { FastifyRequest } from 'fastify';
import { Forbidden, NotFound } from '../../errors.ts';
import { currentSession, requireCsrfToken, requireSameOrigin } from '../../session/session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConsoleCaller {
  userId: string;
  email: string;
  workspace: { id: string; name: string; role: string };
}

/** An id that is not a UUID names nothing: 404 rather than a database cast error. */
export function requireUuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new NotFound(`${what} not found`);
  return value;
}

/** A signed-in member of the workspace; anyone else learns only that there is no such workspace. */
export async function readAccess(request: FastifyRequest, db: Db, config: StackConfig, workspaceId: string): Promise<ConsoleCaller> {
  return membership(db, await currentSession(request, db, config), workspaceId);
}

async function membership(db: Db, session: { userId: string; email: string }, workspaceId: string): Promise<ConsoleCaller> {
  const workspace = UUID.test(workspaceId) ? (await listMemberships(db, session.userId)).find((w) => w.id === workspaceId) : undefined;
  if (workspace === undefined) throw new NotFound('Workspace not found');
  return { userId: session.userId, email: session.email, workspace };
}

/** A signed-in admin of the workspace, sending the CSRF header from the web origin. */
export async function writeAccess(request: FastifyRequest, db: Db, config: StackConfig, workspaceId: string): Promise<ConsoleCaller> {
  const session = await currentSession(request, db, config);
  requireSameOrigin(request, config);
  requireCsrfToken(request, session.csrfToken);
  const caller = await membership(db, session, workspaceId);
  if (caller.workspace.role !== 'admin') throw new Forbidden(`Only an admin of ${caller.workspace.name} can change this; your role is ${caller.workspace.role}`);
  return caller;
}
