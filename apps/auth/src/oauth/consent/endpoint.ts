import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findClient } from '@enginy/db/queries/oauth-clients';
import { completeAuthorization, findPendingAuthorization, type PendingAuthorization } from '@enginy/db/queries/oauth-requests';
import { createCode } from '@enginy/db/queries/oauth-tokens';
import { getMcpSettings, listMemberships } from '@enginy/db/queries/workspaces';
import { type AuthorizationDecision, decideAuthorization } from '@enginy/policy/authorization';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { audit } from '../../audit.ts';
import { Forbidden, InvalidRequest, NotFound } from '../../errors.ts';
import { authorizationResponseUrl } from '../authorization-response.ts';
import { currentSession, requireCsrfToken, requireSameOrigin } from '../../session/session.ts';

const CODE_TTL_SECONDS = 60;
const EXPIRED = 'This authorization request has expired or was already used. Start again from the application.';

interface Context {
  pending: PendingAuthorization;
  userId: string;
  workspace: { id: string; name: string };
  workspaces: { id: string; name: string; role: string }[];
  decision: AuthorizationDecision;
}

/**
 * Loads the pending request and runs checks 2–5 (packages/policy) for the chosen workspace, or the
 * user's first one. The same decision the console previews.
 */
async function evaluate(db: Db, request: FastifyRequest, config: StackConfig, id: string, workspaceId: string | undefined): Promise<Context & { csrfToken: string }> {
  const session = await currentSession(request, db, config);
  const pending = await findPendingAuthorization(db, id);
  if (pending === undefined) throw new NotFound(EXPIRED);
  const workspaces = await listMemberships(db, session.userId);
  const workspace = workspaceId === undefined ? workspaces[0] : workspaces.find((w) => w.id === workspaceId);
  if (workspace === undefined) throw new Forbidden(workspaceId === undefined ? 'Your account belongs to no workspace' : 'You are not a member of that workspace');
  const settings = await getMcpSettings(db, workspace.id);
  const decision = decideAuthorization(
    settings ?? { enabled: false, allowedRedirectUris: [], allowedClientIds: [], policyScopes: [], policyActive: false },
    { clientId: pending.clientId, redirectUri: pending.redirectUri, scope: pending.scope ?? undefined },
  );
  return { pending, userId: session.userId, workspace, workspaces, decision, csrfToken: session.csrfToken };
}

function auditDecision(db: Db, log: FastifyBaseLogger, c: Context, outcome: 'allowed' | 'denied', reason: string, details: Record<string, unknown>) {
  return audit(db, log, {
    workspaceId: c.workspace.id,
    userId: c.userId,
    clientId: c.pending.clientId,
    redirectUri: c.pending.redirectUri,
    requestedScopes: c.decision.requestedScopes,
    outcome,
    reason,
    details: c.pending.clientSource === null ? details : { ...details, clientSource: c.pending.clientSource },
  });
}

function scopeErrorRedirect(config: StackConfig, c: Context): string {
  return authorizationResponseUrl(c.pending.redirectUri, config.auth.issuer, { error: 'invalid_scope', error_description: 'Requested scopes are not allowed', state: c.pending.state });
}

export async function consentRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { workspace?: string } }>('/consent/:id', async (request, reply) => {
    const c = await evaluate(db, request, config, request.params.id, request.query.workspace);
    const client = await findClient(db, c.pending.clientId);
    const d = c.decision;
    if (d.outcome === 'denied') await auditDecision(db, request.log, c, 'denied', d.reason, { ...d.details, ...(d.hint ? { hint: d.hint } : {}) });
    return reply.header('cache-control', 'no-store').send({
      request: {
        id: c.pending.id,
        clientId: c.pending.clientId,
        clientName: client?.name ?? c.pending.clientId,
        redirectUri: c.pending.redirectUri,
        requestedScopes: d.requestedScopes,
        // Where a metadata-document client's metadata came from when /authorize accepted it.
        clientSource:
          c.pending.clientSource === null ? null : { kind: c.pending.clientSource, fetchedAt: client?.fetchedAt?.toISOString() ?? null },
      },
      workspaces: c.workspaces,
      workspaceId: c.workspace.id,
      decision:
        d.outcome === 'allowed'
          ? { outcome: 'allowed', scopes: d.scopes }
          : {
              outcome: 'denied',
              reason: d.reason,
              message: d.message,
              hint: d.hint ?? null,
              details: d.details,
              // Only the scope check answers the client; its redirect URI has passed checks 1 and 2.
              redirectTo: d.redirectError === 'invalid_scope' ? scopeErrorRedirect(config, c) : null,
            },
    });
  });

  app.post<{ Params: { id: string }; Body: { workspaceId?: unknown; decision?: unknown } }>('/consent/:id', async (request, reply) => {
    requireSameOrigin(request, config);
    const body = request.body ?? {};
    if (typeof body.workspaceId !== 'string' || (body.decision !== 'approve' && body.decision !== 'deny')) {
      throw new InvalidRequest('workspaceId and decision (approve or deny) are required');
    }
    const c = await evaluate(db, request, config, request.params.id, body.workspaceId);
    requireCsrfToken(request, c.csrfToken);
    const d = c.decision;
    // A request whose redirect URI the workspace does not allow never goes back to the client, even on Deny.
    if (d.outcome === 'denied' && d.redirectError === undefined) throw new Forbidden(d.message);
    if (!(await completeAuthorization(db, c.pending.id))) throw new NotFound(EXPIRED);

    if (body.decision === 'deny') {
      await auditDecision(db, request.log, c, 'denied', 'access_denied', { by: 'user' });
      const redirectTo = authorizationResponseUrl(c.pending.redirectUri, config.auth.issuer, { error: 'access_denied', error_description: 'The user denied the request', state: c.pending.state });
      return reply.header('cache-control', 'no-store').send({ redirectTo });
    }
    if (d.outcome === 'denied') {
      await auditDecision(db, request.log, c, 'denied', d.reason, d.details);
      return reply.header('cache-control', 'no-store').send({ redirectTo: scopeErrorRedirect(config, c) });
    }
    const code = newSecret('eac_');
    await createCode(db, {
      codeHash: hashSecret(config.tokenHashKey, code),
      clientId: c.pending.clientId,
      redirectUri: c.pending.redirectUri,
      codeChallenge: c.pending.codeChallenge,
      resource: c.pending.resource,
      workspaceId: c.workspace.id,
      userId: c.userId,
      scopes: d.scopes,
      expiresAt: new Date(Date.now() + CODE_TTL_SECONDS * 1000),
    });
    await auditDecision(db, request.log, c, 'allowed', 'approved', { scopes: d.scopes });
    const redirectTo = authorizationResponseUrl(c.pending.redirectUri, config.auth.issuer, { code, state: c.pending.state });
    return reply.header('cache-control', 'no-store').send({ redirectTo });
  });
}
