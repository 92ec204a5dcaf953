import { PreviewAnswer, PreviewInput, WorkspaceParams } from '@enginy/contracts/console';
import { getMcpSettings } from '@enginy/db/queries/workspaces';
import { decideAuthorization, NEVER_SAVED_SETTINGS } from '@enginy/policy/authorization';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf } from './access.ts';
import type { ConsoleDeps } from './deps.ts';

/**
 * POST /console/workspaces/:id/preview: the decision the consent step would make right now for this
 * client, redirect URI and scopes (the same decideAuthorization call), with no side effects.
 * A read: members may preview too, so it needs no CSRF token.
 */
export const previewRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { db, access }) => {
  app.post(
    '/console/workspaces/:id/preview',
    {
      preValidation: access.member,
      schema: { params: WorkspaceParams, body: PreviewInput, response: { 200: PreviewAnswer } },
    },
    async (request, reply) => {
      // Taken verbatim (no trimming): the redirect URI check is an exact string match.
      const { clientId, redirectUri, scopes } = request.body;
      // Scopes as the client would send them: a space-delimited string or a list; absent = none requested.
      const scope = Array.isArray(scopes) ? scopes.join(' ') : (scopes ?? undefined);
      const settings = (await getMcpSettings(db, callerOf(request).workspace.id)) ?? NEVER_SAVED_SETTINGS;
      const decision = decideAuthorization(settings, {
        clientId,
        redirectUri,
        scope: scope === '' ? undefined : scope,
      });
      return reply.header('cache-control', 'no-store').send({ decision });
    },
  );
};
