import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import type { FastifyRequest } from 'fastify';
import type { ClientSourceKind } from '../clients/cimd.ts';

/** The authorization request's query parameters (RFC 6749 §4.1.1), each a single string. */
export type AuthorizeParameters = Record<string, string | undefined>;

export interface ResolvedClient {
  client: OAuthClient;
  /** Metadata-document clients: where the metadata came from this time; null for registered clients. */
  source: ClientSourceKind | null;
  /** Why the live metadata document was not used, for the audit. */
  fetchFailure?: string;
}

/**
 * What the checks of one authorization request share (node-oidc-provider's `ctx.oidc`): the request,
 * and what each check has established for those after it.
 */
export interface AuthorizeContext {
  readonly request: FastifyRequest;
  readonly config: StackConfig;
  readonly db: Db;
  /** The failure lab's moved issuer's path, or null at the stack's own issuer. */
  readonly issuerPath: string | null;
  /** check-parameters: the query as single strings. */
  parameters?: AuthorizeParameters;
  /** check-client: the client and where its metadata came from. */
  resolved?: ResolvedClient;
  /** check-redirect-uri: the client's own redirect URI, sent or its only one. */
  redirectUri?: string;
  /** check-pkce. */
  codeChallenge?: string;
  /** check-resource. */
  resource?: string;
}

type Established = Exclude<keyof AuthorizeContext, 'request' | 'config' | 'db' | 'issuerPath'>;

/** What an earlier check established; a check that reads it before that check ran is a bug (a 500). */
export function known<K extends Established>(ctx: AuthorizeContext, key: K): NonNullable<AuthorizeContext[K]> {
  const value = ctx[key];
  if (value === undefined) throw new Error(`An /authorize check read ${key} before the check that sets it`);
  return value as NonNullable<AuthorizeContext[K]>;
}
