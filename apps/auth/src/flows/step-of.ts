import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { NewFlowStep } from '@enginy/db/queries/flow-steps';
import { findToken } from '@enginy/db/queries/oauth-tokens';
import { hashSecret } from '@enginy/security/tokens';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sourceAddress } from '../source-address.ts';
import { notedAnswer } from './answer-note.ts';

// What each OAuth endpoint's answer says about its flow, read after the endpoint has answered: the
// endpoints stay unaware of flows. Only named parameters are kept, never a code, token or secret
// (nor a hash of one); a code or token is only looked up to find the request or grant it belongs to.

type Fields = Record<string, string | undefined>;
type Json = Record<string, unknown>;
type Step = Omit<NewFlowStep, 'source' | 'userAgent' | 'status'>;
export interface Observed {
  request: FastifyRequest;
  reply: FastifyReply;
  /** The answer's JSON body, when it is one. */
  body: Json | undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const fields = (value: unknown): Fields => (typeof value === 'object' && value !== null ? (value as Fields) : {});
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : text(value));

/** The client's own parameters, as far as a step has them (RFC 6749, 7636, 8707 names). */
function sentOf(params: Fields): NewFlowStep['sent'] {
  return {
    client_id: text(params.client_id),
    redirect_uri: text(params.redirect_uri),
    scope: text(params.scope),
    resource: text(params.resource),
    code_challenge_method: text(params.code_challenge_method),
    response_type: text(params.response_type),
    grant_type: text(params.grant_type),
  };
}

/** The error of a JSON answer, or of an HTML error page (answer-note.ts). */
function errorOf({ request, body }: Observed) {
  const noted = notedAnswer(request);
  if (noted !== undefined) return noted;
  const error = text(body?.error);
  return error === undefined ? undefined : { error, description: text(body?.error_description) ?? '' };
}

/** A Basic header's client_id (RFC 6749 §2.3.1): a name, not a secret; the secret is never read. */
function basicClientId(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export function discoveryStep({ request }: Observed): Step {
  return { step: 'discovery', sent: { path: request.url.split('?')[0] } };
}

export function registerStep(observed: Observed): Step {
  const params = fields(observed.request.body);
  const answer = errorOf(observed);
  return {
    step: 'register',
    clientId: answer === undefined ? text(observed.body?.client_id) : undefined,
    sent: {
      client_name: text(params.client_name),
      redirect_uris: list(params.redirect_uris),
      grant_types: list(params.grant_types),
      token_endpoint_auth_method: text(params.token_endpoint_auth_method),
      scope: text(params.scope),
    },
    ...answer,
  };
}

/** The reason the attempts list gives the same refusal (authorize/endpoint.ts audits it so). */
function authorizeReason(error: string, description: string): string {
  if (error === 'invalid_client') return 'unknown_client';
  if (description === 'redirect_uri is not registered for this client') return 'redirect_uri_not_registered';
  return error;
}

export function authorizeStep(observed: Observed, config: StackConfig): Step {
  const params = fields(observed.request.query);
  const location = String(observed.reply.getHeader('location') ?? '');
  const consent = `${config.web.url}/consent?`;
  let requestId: string | undefined;
  let answer = errorOf(observed);
  if (location.startsWith(consent))
    requestId = new URLSearchParams(location.slice(consent.length)).get('request') ?? undefined;
  else if (URL.canParse(location)) {
    // An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1).
    const query = new URL(location).searchParams;
    const error = query.get('error');
    if (error !== null) answer = { error, description: query.get('error_description') ?? '' };
  }
  return {
    step: 'authorize',
    clientId: text(params.client_id),
    requestId,
    sent: sentOf(params),
    ...answer,
    reason: answer === undefined ? undefined : authorizeReason(answer.error, answer.description),
  };
}

/**
 * GET /consent/:id answered 200: someone signed in and saw the request (the sign-in step, once per
 * request), and, when the workspace's checks refuse it, the consent step that stopped the flow with
 * the decision's reason and fix.
 */
export function consentViewSteps(observed: Observed): Step[] {
  const requestId = text(fields(observed.request.params).id);
  const body = observed.body ?? {};
  const pending = fields(body.request);
  const workspaceId = text(body.workspaceId);
  const shared = { requestId, clientId: text(pending.clientId), workspaceId };
  const signIn: Step = {
    step: 'sign-in',
    ...shared,
    sent: { redirect_uri: text(pending.redirectUri), workspace: text(fields(observed.request.query).workspace) },
  };
  const decision = body.decision as Json | undefined;
  if (decision?.outcome !== 'denied') return [signIn];
  return [
    signIn,
    {
      step: 'consent',
      ...shared,
      sent: { redirect_uri: text(pending.redirectUri), scope: list(pending.requestedScopes) },
      error: text(decision.reason),
      description: text(decision.message),
      reason: text(decision.reason),
      hint: text(decision.hint),
    },
  ];
}

/** POST /consent/:id: the user's answer, and where the browser was sent (the code itself is dropped). */
export async function consentDecisionStep(observed: Observed, db: Db): Promise<Step> {
  const params = fields(observed.request.body);
  const requestId = text(fields(observed.request.params).id);
  // The answer names no client; the request does (the filter by client finds the step by it).
  const pending =
    requestId !== undefined && isUuid(requestId)
      ? await db
          .selectFrom('oauth_authorization_requests')
          .select('client_id')
          .where('id', '=', requestId)
          .executeTakeFirst()
      : undefined;
  const redirectTo = text(observed.body?.redirectTo);
  let answer = errorOf(observed);
  if (redirectTo !== undefined && URL.canParse(redirectTo)) {
    const error = new URL(redirectTo).searchParams.get('error');
    if (error !== null)
      answer = { error, description: new URL(redirectTo).searchParams.get('error_description') ?? '' };
  }
  return {
    step: 'consent',
    requestId,
    clientId: pending?.client_id,
    workspaceId: text(params.workspaceId),
    sent: { decision: text(params.decision) },
    ...answer,
    reason: answer?.error === 'access_denied' ? 'access_denied' : answer === undefined ? 'approved' : undefined,
  };
}

/**
 * POST /token: the code's request (and the grant it created), or the refresh token's grant. A
 * failed exchange carries the attempts list's reason, token_exchange_failed.
 */
export async function tokenStep(observed: Observed, config: StackConfig, db: Db): Promise<Step> {
  const params = fields(observed.request.body);
  const clientId = text(params.client_id) ?? basicClientId(observed.request.headers.authorization);
  const answer = errorOf(observed);
  const base = { clientId, sent: { ...sentOf(params), client_id: clientId }, ...answer };
  if (params.grant_type === 'refresh_token') {
    const row = params.refresh_token
      ? await findToken(db, hashSecret(config.tokenHashKey, params.refresh_token))
      : undefined;
    return { step: 'refresh', ...base, grantId: row?.grantId, workspaceId: row?.workspaceId };
  }
  const code = params.code
    ? await db
        .selectFrom('oauth_codes')
        .select(['request_id', 'grant_id', 'workspace_id'])
        .where('code_hash', '=', hashSecret(config.tokenHashKey, params.code))
        .executeTakeFirst()
    : undefined;
  return {
    step: 'token',
    ...base,
    requestId: code?.request_id,
    // A replayed code's grant is not this exchange's: only a success names the grant it created.
    grantId: answer === undefined ? code?.grant_id : undefined,
    workspaceId: code?.workspace_id,
    reason: answer === undefined ? undefined : 'token_exchange_failed',
  };
}

/** POST /revoke (RFC 7009): the grant of the token, when the token is the caller's own. */
export async function revokeStep(observed: Observed, config: StackConfig, db: Db): Promise<Step> {
  const params = fields(observed.request.body);
  const clientId = text(params.client_id) ?? basicClientId(observed.request.headers.authorization);
  const row = params.token ? await findToken(db, hashSecret(config.tokenHashKey, params.token)) : undefined;
  const own = row !== undefined && row.clientId === clientId;
  return {
    step: 'revoke',
    clientId,
    grantId: own ? row.grantId : undefined,
    workspaceId: own ? row.workspaceId : undefined,
    sent: { client_id: clientId, token_type_hint: text(params.token_type_hint) },
    ...errorOf(observed),
  };
}

/** Who sent it: the caller's address (how discovery joins a flow) and user agent. */
export function callerOf(request: FastifyRequest) {
  return { source: sourceAddress(request.ip), userAgent: request.headers['user-agent'] ?? null };
}
