import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

/** How a client came to be known: RFC 7591 registration, a fetched metadata document, or an admin. */
export type OAuthClientKind = 'dynamic' | 'cimd' | 'preregistered';
/** Where a metadata-document client's metadata came from (see apps/auth/src/oauth/clients/cimd.ts). */
export type ClientMetadataSource = 'fetched' | 'bundled' | 'unverified';
/** What a metadata-document client's metadata was when a request used it (`cached`: a stored fetched copy). */
export type ClientSourceAtAuthorize = ClientMetadataSource | 'cached';
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

export interface OAuthClientsTable {
  id: string;
  kind: OAuthClientKind;
  name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** Keyed hash of the client secret (confidential clients only). */
  secret_hash: string | null;
  /** Hash of a dynamic registration's canonical metadata: identical re-registrations reuse the client. */
  registration_fingerprint: string | null;
  /** Dynamic clients: the address that registered it (an IPv6 /64 as one); the cap is per address. */
  registered_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** Dynamic clients: the last (re-)registration; unused for 24 h after it, the client is purged. */
  registered_at: Timestamp;
  metadata: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
  /** When a metadata document was last fetched (CIMD cache). */
  fetched_at: NullableTimestamp;
  /** CIMD clients only: what the metadata is (a fetched document, a bundled copy, or unverified). */
  metadata_source: ColumnType<
    ClientMetadataSource | null,
    ClientMetadataSource | null | undefined,
    ClientMetadataSource | null
  >;
  /** CIMD clients only: when the live document was last tried. */
  metadata_checked_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** The workspace whose admin pre-registered it; null for dynamic and CIMD clients. */
  workspace_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The issuer path it is bound to (migration 0014, failure lab issuer-moved); null: the stack's own issuer. */
  issuer_path: ColumnType<string | null, string | null | undefined, never>;
}

/** A signed-in browser (the web app's sign-in), stored by the keyed hash of its cookie. */
export interface OAuthSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Date;
}

/** An /authorize request waiting for sign-in and consent. */
export interface OAuthAuthorizationRequestsTable {
  id: Generated<string>;
  client_id: string;
  redirect_uri: string;
  scope: string | null;
  state: string | null;
  code_challenge: string;
  resource: string;
  /** Metadata-document clients: fetched, cached, bundled or unverified when /authorize accepted it. */
  client_source: ColumnType<ClientSourceAtAuthorize | null, ClientSourceAtAuthorize | null | undefined, never>;
  created_at: CreatedAt;
  expires_at: Date;
  completed_at: NullableTimestamp;
  /** The issuer path it is bound to (migration 0014, failure lab issuer-moved); null: the stack's own issuer. */
  issuer_path: ColumnType<string | null, string | null | undefined, never>;
}

export interface OAuthCodesTable {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  resource: string;
  workspace_id: string;
  user_id: string;
  scopes: string[];
  expires_at: Date;
  used_at: NullableTimestamp;
  /** The grant its redemption created: revoked if the code is replayed (RFC 6749 §4.1.2). */
  grant_id: string | null;
  created_at: CreatedAt;
  /** The authorization request it was issued for (migration 0013): how a token exchange joins its flow. */
  request_id: ColumnType<string | null, string | null | undefined, never>;
  /** The issuer path it is bound to (migration 0014, failure lab issuer-moved); null: the stack's own issuer. */
  issuer_path: ColumnType<string | null, string | null | undefined, never>;
}

/** An approved connection: what the console lists as an "active connection". */
export interface OAuthGrantsTable {
  id: Generated<string>;
  workspace_id: string;
  user_id: string;
  client_id: string;
  redirect_uri: string;
  scopes: string[];
  resource: string;
  created_at: CreatedAt;
  last_used_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
  /** The issuer path it is bound to (migration 0014, failure lab issuer-moved); null: the stack's own issuer. */
  issuer_path: ColumnType<string | null, string | null | undefined, never>;
}

export type OAuthTokenKind = 'access' | 'refresh';

export interface OAuthTokensTable {
  token_hash: string;
  kind: OAuthTokenKind;
  grant_id: string;
  expires_at: Date;
  created_at: CreatedAt;
  /** A refresh token is spent once rotated; presenting it again is reuse. */
  spent_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /**
   * A spent refresh token's rotation answer, sealed with that refresh token (readable only by whoever
   * holds it): the retry of a lost answer gets it again within the grace period. Cleared by the purge.
   */
  retry_answer: Buffer | null;
}

export type AuthEventOutcome = 'allowed' | 'denied';

/** The audit trail of authorization decisions, for the console. */
export interface AuthEventsTable {
  id: Generated<string>;
  created_at: CreatedAt;
  workspace_id: string | null;
  user_id: string | null;
  client_id: string | null;
  redirect_uri: string | null;
  requested_scopes: string[];
  outcome: AuthEventOutcome;
  reason: string;
  details: JSONColumnType<Record<string, unknown>>;
}

export interface OAuthTables {
  oauth_clients: OAuthClientsTable;
  oauth_sessions: OAuthSessionsTable;
  oauth_authorization_requests: OAuthAuthorizationRequestsTable;
  oauth_codes: OAuthCodesTable;
  oauth_grants: OAuthGrantsTable;
  oauth_tokens: OAuthTokensTable;
  auth_events: AuthEventsTable;
}
