// What dynamic client registration (RFC 7591) accepts in each metadata field: the closed sets of
// values this server serves, and the fields that must be text or a web address. The authorization
// server's metadata advertises the same sets, so what is advertised is what is accepted.

/** RFC 7591 §2 token_endpoint_auth_method: a public client ("none") or a client secret, posted or Basic. */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'] as const;
/** RFC 7591 §2 grant_types: the authorization code flow, with refresh. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
/** RFC 7591 §2 response_types: "code" (the authorization code flow) only. */
export const RESPONSE_TYPES = ['code'] as const;
/**
 * OpenID Connect Dynamic Client Registration 1.0 §2: "application_type OPTIONAL. Kind of the
 * application. The default, if omitted, is web. The defined values are native or web." (a field RFC 7591
 * §2 lets extensions define; MCP clients send it).
 */
export const APPLICATION_TYPES = ['native', 'web'] as const;

/** Why a field's value is refused, in words that follow the field's name; undefined when accepted. */
export type FieldRule = (value: unknown) => string | undefined;

const oneOf =
  (values: readonly string[]): FieldRule =>
  (value) =>
    typeof value === 'string' && values.includes(value) ? undefined : `must be one of: ${values.join(', ')}`;

/** An array of strings, each from `values`, holding every one of `required`. */
const listOf =
  (values: readonly string[], required: readonly string[]): FieldRule =>
  (value) => {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return 'must be an array of strings';
    if (value.some((item) => !values.includes(item)) || !required.every((item) => value.includes(item)))
      return `may hold only ${values.join(', ')}, and must hold ${required.join(', ')}`;
    return undefined;
  };

const text: FieldRule = (value) => (typeof value === 'string' ? undefined : 'must be a string');

const textList: FieldRule = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'must be an array of strings';

/**
 * RFC 7591 §2: client_uri, logo_uri, tos_uri, policy_uri and jwks_uri are each a "URL string". A web
 * address, https or http: a javascript: or data: URL is no page about a client, and may be shown as a link.
 */
const webUrl: FieldRule = (value) => {
  if (typeof value !== 'string') return 'must be a string (a URL)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an https or http URL';
};

/**
 * Each registration field this server reads, and its rule. redirect_uris has its own (redirect-uri.ts,
 * stage registration). RFC 7591 §2: "The authorization server MUST ignore any client metadata sent by
 * the client that it does not understand", so other fields pass, unread and unstored.
 */
export const CLIENT_METADATA_RULES: Readonly<Record<string, FieldRule>> = {
  application_type: oneOf(APPLICATION_TYPES),
  token_endpoint_auth_method: oneOf(TOKEN_ENDPOINT_AUTH_METHODS),
  // RFC 7591 §2.1: grant_types and response_types must agree: authorization_code goes with "code".
  grant_types: listOf(GRANT_TYPES, ['authorization_code']),
  response_types: listOf(RESPONSE_TYPES, ['code']),
  client_name: text,
  scope: text,
  software_id: text,
  software_version: text,
  contacts: textList,
  client_uri: webUrl,
  logo_uri: webUrl,
  tos_uri: webUrl,
  policy_uri: webUrl,
  jwks_uri: webUrl,
};

/**
 * The first field of a registration request whose value is refused, with why; undefined when every
 * field is acceptable. Absent or null fields are left to their defaults (some clients send null for a
 * field they leave unset).
 */
export function clientMetadataProblem(
  metadata: Record<string, unknown>,
): { field: string; problem: string } | undefined {
  for (const [field, rule] of Object.entries(CLIENT_METADATA_RULES)) {
    const value = metadata[field];
    if (value === undefined || value === null) continue;
    const problem = rule(value);
    if (problem !== undefined) return { field, problem };
  }
  return undefined;
}
