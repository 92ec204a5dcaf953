// What `--conformance` holds a deployment's published documents to, beyond what discovery already
// refuses (discovery.ts: resource equal to the MCP URL, authorization_servers, issuer equal to its
// URL, S256, the endpoints): one rule per clause, each with the fix. Pure: table-tested.
import type { Challenge } from './discovery.ts';

export interface Rule<T> {
  /** The clause the rule enforces. */
  clause: string;
  problem(input: T): string | undefined;
  fix: string;
}

/** Every problem `input` has under `rules`, with their fixes (each once). */
export function problemsOf<T>(rules: readonly Rule<T>[], input: T): { problems: string[]; fixes: string[] } {
  const failed = rules.flatMap((rule) => {
    const problem = rule.problem(input);
    return problem === undefined ? [] : [{ problem: `${problem} (${rule.clause})`, fix: rule.fix }];
  });
  return { problems: failed.map((f) => f.problem), fixes: [...new Set(failed.map((f) => f.fix))] };
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

export const CHALLENGE_RULES: readonly Rule<Challenge>[] = [
  {
    clause: 'RFC 9728 §5.1, MCP authorization: the 401 names the resource metadata',
    problem: (c) => (c.resourceMetadataUrl ? undefined : 'the WWW-Authenticate challenge has no resource_metadata'),
    fix: 'Answer an unauthenticated POST /mcp with WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource/mcp", scope="…".',
  },
  {
    clause: 'MCP authorization (2025-11-25), scope selection: the 401 SHOULD carry scope',
    problem: (c) => (c.scope?.trim() ? undefined : 'the WWW-Authenticate challenge has no scope (or an empty one)'),
    fix: "Put the scopes a client should request in the challenge's scope parameter (Enginy: the enabled workspace policies' scopes; none means no workspace has MCP enabled with an active policy).",
  },
];

export const RESOURCE_METADATA_RULES: readonly Rule<Record<string, unknown>>[] = [
  {
    clause: 'RFC 9728 §2 scopes_supported; Claude Code, Codex and Gemini CLI request the whole list',
    problem: (doc) => (stringList(doc.scopes_supported)?.length ? undefined : 'scopes_supported is missing or empty'),
    fix: "Enable MCP with an active policy that has scopes in at least one workspace (Enginy lists the enabled policies' scopes), or publish the scopes a client may request.",
  },
  {
    clause:
      "MCP clients request the whole scopes_supported: offline_access is the authorization server's, not the resource's",
    problem: (doc) =>
      stringList(doc.scopes_supported)?.includes('offline_access')
        ? 'scopes_supported lists offline_access'
        : undefined,
    fix: "Leave offline_access out of the protected-resource metadata; refresh tokens are the authorization server's business.",
  },
  {
    clause: 'RFC 9728 §2 bearer_methods_supported; MCP: tokens go in the Authorization header',
    problem: (doc) => {
      if (doc.bearer_methods_supported === undefined) return undefined;
      const methods = stringList(doc.bearer_methods_supported);
      return methods?.includes('header')
        ? undefined
        : `bearer_methods_supported is ${JSON.stringify(doc.bearer_methods_supported)}, without "header"`;
    },
    fix: 'Advertise bearer_methods_supported: ["header"] (or leave it out).',
  },
];

export const AUTH_SERVER_METADATA_RULES: readonly Rule<Record<string, unknown>>[] = [
  {
    clause: 'RFC 8414 §2 response_types_supported (REQUIRED), OAuth 2.1: code',
    problem: (doc) => {
      if (doc.response_types_supported === undefined) return 'response_types_supported is missing';
      return stringList(doc.response_types_supported)?.includes('code')
        ? undefined
        : `response_types_supported is ${JSON.stringify(doc.response_types_supported)}, without "code"`;
    },
    fix: 'Advertise response_types_supported: ["code"].',
  },
  {
    clause: 'RFC 8414 §2 grant_types_supported: MCP clients use authorization_code and refresh_token',
    problem: (doc) => {
      const grants = stringList(doc.grant_types_supported);
      const missing = ['authorization_code', 'refresh_token'].filter((grant) => !grants?.includes(grant));
      return missing.length === 0
        ? undefined
        : `grant_types_supported ${grants ? `(${grants.join(', ')}) lacks` : 'is missing; it must list'} ${missing.join(' and ')}`;
    },
    fix: 'Advertise grant_types_supported: ["authorization_code", "refresh_token"] (RFC 8414 defaults to authorization_code and implicit when it is left out).',
  },
  {
    clause: 'RFC 9207 §3: authorization_response_iss_parameter_supported',
    problem: (doc) =>
      doc.authorization_response_iss_parameter_supported === true
        ? undefined
        : 'authorization_response_iss_parameter_supported is not true',
    fix: 'Send iss with every authorization response (RFC 9207) and advertise authorization_response_iss_parameter_supported: true; clients use it against mix-up attacks.',
  },
  {
    clause: 'RFC 8414 §2 token_endpoint_auth_methods_supported: MCP clients are public clients ("none")',
    problem: (doc) => {
      const methods = stringList(doc.token_endpoint_auth_methods_supported);
      if (methods === undefined)
        return 'token_endpoint_auth_methods_supported is missing (RFC 8414 then means client_secret_basic only)';
      return methods.includes('none')
        ? undefined
        : `token_endpoint_auth_methods_supported (${methods.join(', ')}) lacks "none"`;
    },
    fix: 'Accept public clients with PKCE at /token and advertise token_endpoint_auth_methods_supported including "none".',
  },
  {
    clause: 'MCP authorization: clients register dynamically (RFC 7591) or with a client ID metadata document',
    problem: (doc) =>
      typeof doc.registration_endpoint === 'string' || doc.client_id_metadata_document_supported === true
        ? undefined
        : 'neither registration_endpoint nor client_id_metadata_document_supported is advertised',
    fix: 'Advertise registration_endpoint (dynamic registration) or client_id_metadata_document_supported: true, or every client needs a pre-registered client ID.',
  },
];

/** RFC 6749 §5.2: the error codes a token endpoint may answer with. */
export const OAUTH_TOKEN_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
] as const;
