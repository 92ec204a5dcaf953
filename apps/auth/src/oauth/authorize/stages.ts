import type { AuthEvent } from '@enginy/db/queries/audit-events';
import type { OAuthError } from '../../errors/service-error.ts';
import { UnusableMetadataDocument } from '../clients/cimd.ts';
import { type AuthorizeContext, known } from './context.ts';

/**
 * How far an authorization request has been trusted when a check refuses it:
 *   parameters    the query itself is malformed: nothing is known, nothing is audited
 *   client        the client is unknown or refused
 *   redirect_uri  the client is known, the redirect URI is not one of its own
 *   request       client and redirect URI are good: the request's own parameters
 */
export type AuthorizeStage = 'parameters' | 'client' | 'redirect_uri' | 'request';

type AuditRecord = Pick<AuthEvent, 'reason' | 'details'>;

export interface StageRule {
  /**
   * RFC 6749 §4.1.2.1: only once the client and its redirect URI are good may a refusal go back to
   * it; before, the server "MUST NOT automatically redirect the user-agent to the invalid redirection URI".
   */
  mayRedirect: boolean;
  /** The error page's status, when not the error's own (an unknown client is a 400 here, not /token's 401). */
  pageStatus?: number;
  /** The audit record of a refusal; none for a malformed query, whose parameters cannot be trusted to name anything. */
  audit?: (ctx: AuthorizeContext, error: OAuthError) => AuditRecord;
  /** What the error page lists, for the person fixing the client or the settings. */
  pageDetails: (ctx: AuthorizeContext) => Record<string, string>;
}

/** A metadata-document client's source (and why its live document was not used), for the audit. */
function sourceDetails(ctx: AuthorizeContext): Record<string, string> {
  const { source, fetchFailure } = known(ctx, 'resolved');
  if (source === null) return {};
  return { clientSource: source, ...(fetchFailure === undefined ? {} : { fetchFailure }) };
}

export const STAGES: Record<AuthorizeStage, StageRule> = {
  parameters: { mayRedirect: false, pageDetails: () => ({}) },
  client: {
    mayRedirect: false,
    pageStatus: 400,
    audit: (ctx, error) => ({
      reason: 'unknown_client',
      details: {
        clientId: known(ctx, 'parameters').client_id ?? null,
        error: error.description,
        // The fetch's own failure (a socket error, a status) goes to the audit only: echoed to anyone, it
        // would make this endpoint a port scanner (draft-ietf-oauth-client-id-metadata-document §6).
        ...(error instanceof UnusableMetadataDocument ? { fetchFailure: error.detail ?? null } : {}),
      },
    }),
    pageDetails: (ctx) => ({ client_id: known(ctx, 'parameters').client_id ?? '(missing)' }),
  },
  redirect_uri: {
    mayRedirect: false,
    audit: (ctx) => ({
      reason: 'redirect_uri_not_registered',
      details: {
        sent: known(ctx, 'parameters').redirect_uri ?? null,
        registered: known(ctx, 'resolved').client.redirectUris,
        ...sourceDetails(ctx),
      },
    }),
    pageDetails: (ctx) => {
      const { client, source } = known(ctx, 'resolved');
      return {
        'redirect_uri sent': known(ctx, 'parameters').redirect_uri ?? '(missing)',
        'registered redirect URIs':
          source === 'unverified'
            ? 'any loopback URI (unverified client, development only)'
            : client.redirectUris.join(' '),
      };
    },
  },
  request: {
    mayRedirect: true,
    audit: (ctx, error) => ({ reason: error.error, details: { error: error.description, ...sourceDetails(ctx) } }),
    pageDetails: (ctx) => ({ client_id: known(ctx, 'resolved').client.id }),
  },
};
