// The auth app's one error catalogue: every code it answers with, in one table. The classes are
// generated from it (classes.ts) and one handler renders them all (handler.ts). Each row has a kind,
// which says who reads the answer and so which family of classes it belongs to:
//   oauth    an OAuth code (RFC 6749, 7009, 7591, 8707), read by an OAuth client: the OAuth JSON body
//            { error, error_description }; at /authorize the error page or the redirect instead, as
//            the stage of the check that threw decides (oauth/authorize/answer.ts).
//   http     this service's own codes outside any OAuth RFC (sign-in session, consent, limits, unknown
//            routes), answered in the same JSON shape.
//   console  the console API's own codes: the same shape, plus `field` and `value` on a 422.

export type ErrorKind = 'oauth' | 'http' | 'console';

export interface CatalogueRow {
  kind: ErrorKind;
  status: number;
  /** RFC 6749 §4.1.2.1 (and RFC 8707 §2): a code the authorization response may carry to the client. */
  mayRedirect: boolean;
  description: string;
}

export const CATALOGUE = {
  // RFC 6749 §5.2: "invalid_request … HTTP 400 (Bad Request) unless specified otherwise"; §4.1.2.1 lists it for the authorization response.
  invalid_request: {
    kind: 'oauth',
    status: 400,
    mayRedirect: true,
    description: 'The request is missing a parameter or is malformed',
  },
  // RFC 6749 §5.2: client authentication failed → 401. Never redirects: the client is not trusted.
  invalid_client: {
    kind: 'oauth',
    status: 401,
    mayRedirect: false,
    description: 'Client authentication failed or the client is unknown',
  },
  // RFC 6749 §5.2: the grant (code, refresh token) is invalid, expired, revoked or another client's.
  invalid_grant: {
    kind: 'oauth',
    status: 400,
    mayRedirect: false,
    description: 'The grant is invalid, expired or revoked',
  },
  unauthorized_client: {
    kind: 'oauth',
    status: 400,
    mayRedirect: true,
    description: 'The client may not use this grant type',
  },
  unsupported_grant_type: {
    kind: 'oauth',
    status: 400,
    mayRedirect: false,
    description: 'The grant type is not supported',
  },
  unsupported_response_type: {
    kind: 'oauth',
    status: 400,
    mayRedirect: true,
    description: 'The response type is not supported; use code',
  },
  invalid_scope: { kind: 'oauth', status: 400, mayRedirect: true, description: 'Requested scopes are not allowed' },
  // RFC 8707 §2: "invalid_target: The requested resource is invalid, missing, unknown, or malformed."
  invalid_target: {
    kind: 'oauth',
    status: 400,
    mayRedirect: true,
    description: 'The requested resource is invalid, missing, unknown, or malformed',
  },
  // RFC 7591 §3.2.2.
  invalid_redirect_uri: {
    kind: 'oauth',
    status: 400,
    mayRedirect: false,
    description: 'A redirect URI is not valid',
  },
  invalid_client_metadata: {
    kind: 'oauth',
    status: 400,
    mayRedirect: false,
    description: 'A client metadata field is not valid',
  },
  // RFC 6749 §4.1.2.1 / §5.2; 503 (RFC 9110 §15.6.4).
  temporarily_unavailable: {
    kind: 'oauth',
    status: 503,
    mayRedirect: false,
    description: 'The service is temporarily unavailable; try again later',
  },
  // RFC 6749 §4.1.2.1 / §5.2: "server_error: The authorization server encountered an unexpected condition".
  server_error: { kind: 'oauth', status: 500, mayRedirect: false, description: 'Something went wrong on our side' },

  // RFC 6585 §4 (429).
  too_many_requests: {
    kind: 'http',
    status: 429,
    mayRedirect: false,
    description: 'Too many requests; try again later',
  },
  invalid_credentials: { kind: 'http', status: 401, mayRedirect: false, description: 'Wrong email or password' },
  not_signed_in: { kind: 'http', status: 401, mayRedirect: false, description: 'Sign in to continue' },
  /** A wrong origin or CSRF token, no workspace of the user's, or (console) not an admin. */
  forbidden: { kind: 'http', status: 403, mayRedirect: false, description: 'Forbidden' },
  /** Unknown, another workspace's, or not yours to see: the same answer for all three. */
  not_found: { kind: 'http', status: 404, mayRedirect: false, description: 'Not found' },

  /** The failure lab with NODE_ENV=production: its routes refuse, whoever asks. */
  failure_lab_unavailable: {
    kind: 'console',
    status: 403,
    mayRedirect: false,
    description: 'The failure lab is off in production',
  },
  /** The change would leave the workspace without an admin (packages/policy's member-removal rule). */
  last_admin: { kind: 'console', status: 409, mayRedirect: false, description: 'A workspace needs at least one admin' },
  /** A field of the request is wrong: `field` names it (with its index), `value` is what was sent. */
  validation_failed: { kind: 'console', status: 422, mayRedirect: false, description: 'The request is invalid' },
} as const satisfies Record<string, CatalogueRow>;

export type ErrorCode = keyof typeof CATALOGUE;
