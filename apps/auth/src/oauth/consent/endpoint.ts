import { findClient } from '@enginy/db/queries/oauth-clients';
import { liveGrantedScopes } from '@enginy/db/queries/oauth-grants';
import { completeAuthorization } from '@enginy/db/queries/oauth-requests';
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';
import { cleanClientName } from '@enginy/policy/client-name';
import { issuerAt } from '@enginy/policy/failure-lab';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Forbidden, NotFound } from '../../errors/classes.ts';
import { requireCsrfToken, requireSameOrigin } from '../../session/session.ts';
import { statedIssuer } from '../../lab/iss-mismatch.ts';
import { authorizationResponseUrl } from '../authorization-response.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { auditDecision } from './audit-decision.ts';
import { issueCode } from './issue-code.ts';
import { type ConsentContext, EXPIRED, loadConsentRequest } from './load-request.ts';
import { ConsentDecisionBody, ConsentParams, consentBodyError } from './schemas.ts';

/**
 * The consent step's JSON API for the web app's consent page: GET shows the pending request and the
 * workspace's decision (checks 2–5), POST records the user's answer and returns where the browser
 * goes next: the client's redirect URI with a code or an error (RFC 6749 §4.1.2, §4.1.2.1).
 */
export const consentEndpoint: FastifyPluginAsync<AppPluginOptions> = async (plugin, { config, db }) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  // The issuer the request was made at: the stack's own, or the failure lab's moved one (issuer-moved).
  const issuerOf = (context: ConsentContext) => issuerAt(config.auth.issuer, context.pending.issuerPath);
  const scopeErrorRedirect = (context: ConsentContext) =>
    authorizationResponseUrl(context.pending.redirectUri, issuerOf(context), {
      error: 'invalid_scope',
      error_description: AUTHORIZATION_MESSAGES.scopes_not_allowed,
      state: context.pending.state,
    });

  // ?workspace= is read as sent: a repeated one names no workspace of the user's (403), as before.
  app.get<{ Params: { id: string }; Querystring: { workspace?: string } }>(
    '/consent/:id',
    { schema: { params: ConsentParams } },
    async (request, reply) => {
      const context = await loadConsentRequest(db, request, config, request.params.id, request.query.workspace);
      const { decision, pending } = context;
      const [client, alreadyGranted] = await Promise.all([
        findClient(db, pending.clientId),
        liveGrantedScopes(db, {
          workspaceId: context.workspace.id,
          userId: context.userId,
          clientId: pending.clientId,
        }),
      ]);
      if (decision.outcome === 'denied')
        await auditDecision(db, request.log, context, 'denied', decision.reason, {
          ...decision.details,
          ...(decision.hint ? { hint: decision.hint } : {}),
        });
      return reply.header('cache-control', 'no-store').send({
        request: {
          id: pending.id,
          clientId: pending.clientId,
          // Cleaned on read as well: a name stored before the cleaning must not reverse this page's words.
          clientName: cleanClientName(client?.name, pending.clientId),
          redirectUri: pending.redirectUri,
          requestedScopes: decision.requestedScopes,
          // What this user's live grants already give the client here: step-up shows what is new.
          alreadyGranted,
          // Where a metadata-document client's metadata came from when /authorize accepted it.
          clientSource:
            pending.clientSource === null
              ? null
              : { kind: pending.clientSource, fetchedAt: client?.fetchedAt?.toISOString() ?? null },
        },
        workspaces: context.workspaces,
        workspaceId: context.workspace.id,
        decision:
          decision.outcome === 'allowed'
            ? { outcome: 'allowed', scopes: decision.scopes }
            : {
                outcome: 'denied',
                reason: decision.reason,
                message: decision.message,
                hint: decision.hint ?? null,
                details: decision.details,
                // Only the scope check answers the client; its redirect URI has passed checks 1 and 2.
                redirectTo: decision.redirectError === 'invalid_scope' ? scopeErrorRedirect(context) : null,
              },
      });
    },
  );

  app.post(
    '/consent/:id',
    {
      schema: { params: ConsentParams, body: ConsentDecisionBody },
      schemaErrorFormatter: consentBodyError,
      // Before the body is looked at: a state-changing request must come from the web app's own page.
      preValidation: async (request) => requireSameOrigin(request, config),
    },
    async (request, reply) => {
      const context = await loadConsentRequest(db, request, config, request.params.id, request.body.workspaceId);
      requireCsrfToken(request, context.csrfToken);
      const { decision, pending } = context;
      // The failure lab's iss-mismatch states another issuer in this response (RFC 9207).
      const issuer = statedIssuer(issuerOf(context), await request.labSwitches());
      // A request whose redirect URI the workspace does not allow never goes back to the client, even on Deny.
      if (decision.outcome === 'denied' && decision.redirectError === undefined) throw new Forbidden(decision.message);
      if (!(await completeAuthorization(db, pending.id))) throw new NotFound(EXPIRED);

      if (request.body.decision === 'deny') {
        await auditDecision(db, request.log, context, 'denied', 'access_denied', { by: 'user' });
        // RFC 6749 §4.1.2.1: "access_denied: The resource owner or authorization server denied the request."
        const redirectTo = authorizationResponseUrl(pending.redirectUri, issuer, {
          error: 'access_denied',
          error_description: 'The user denied the request',
          state: pending.state,
        });
        return reply.header('cache-control', 'no-store').send({ redirectTo });
      }
      if (decision.outcome === 'denied') {
        await auditDecision(db, request.log, context, 'denied', decision.reason, decision.details);
        return reply.header('cache-control', 'no-store').send({ redirectTo: scopeErrorRedirect(context) });
      }
      const code = await issueCode(db, config, context, decision.scopes);
      await auditDecision(db, request.log, context, 'allowed', 'approved', { scopes: decision.scopes });
      const redirectTo = authorizationResponseUrl(pending.redirectUri, issuer, {
        code,
        state: pending.state,
      });
      return reply.header('cache-control', 'no-store').send({ redirectTo });
    },
  );
};
