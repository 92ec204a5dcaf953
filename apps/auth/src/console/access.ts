// Who may do what in the console: members read, admins write. Every write also carries the
// session's CSRF token and comes from the web app's origin (the same rule as consent). Checked in
// preValidation, before the schemas: a stranger learns 401/403/404, never what a valid body looks like.
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { listMemberships } from '@enginy/db/queries/workspaces';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { currentSession, requireCsrfToken, requireSameOrigin } from '../session/session.ts';
import { Forbidden, NotFound } from '../errors/classes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConsoleCaller {
  userId: string;
  email: string;
  workspace: { id: string; name: string; role: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's access hooks (member or admin of the workspace in `:id`). */
    consoleCaller: ConsoleCaller | null;
  }
}

export const isUuid = (value: string): boolean => UUID.test(value);

/** An id that is not a UUID names nothing: 404 rather than a database cast error. */
export function requireUuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new NotFound(`${what} not found`);
  return value;
}

/** A signed-in member of the workspace; anyone else learns only that there is no such workspace. */
async function membership(
  db: Db,
  session: { userId: string; email: string },
  workspaceId: string,
): Promise<ConsoleCaller> {
  const workspace = UUID.test(workspaceId)
    ? (await listMemberships(db, session.userId)).find((w) => w.id === workspaceId)
    : undefined;
  if (workspace === undefined) throw new NotFound('Workspace not found');
  return { userId: session.userId, email: session.email, workspace };
}

const workspaceIdOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export interface AccessHooks {
  /** Reads: a signed-in member of the workspace. */
  member: preValidationAsyncHookHandler;
  /** Writes: a signed-in admin of the workspace, sending the CSRF header from the web origin. */
  admin: preValidationAsyncHookHandler;
}

export function accessHooks(db: Db, config: StackConfig): AccessHooks {
  return {
    member: async (request) => {
      request.consoleCaller = await membership(db, await currentSession(request, db, config), workspaceIdOf(request));
    },
    admin: async (request) => {
      const session = await currentSession(request, db, config);
      requireSameOrigin(request, config);
      requireCsrfToken(request, session.csrfToken);
      const caller = await membership(db, session, workspaceIdOf(request));
      if (caller.workspace.role !== 'admin')
        throw new Forbidden(
          `Only an admin of ${caller.workspace.name} can change this; your role is ${caller.workspace.role}`,
        );
      request.consoleCaller = caller;
    },
  };
}

/** The caller an access hook admitted. */
export function callerOf(request: FastifyRequest): ConsoleCaller {
  if (request.consoleCaller === null) throw new Error('A console route ran without its access hook');
  return request.consoleCaller;
}
