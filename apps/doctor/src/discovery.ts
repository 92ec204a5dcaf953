// Discovery exactly as Claude Code does it: the 401 challenge of the MCP endpoint, protected-resource
// metadata (header URL, then path form, then root form), then authorization-server metadata (RFC 8414,
// then the OpenID alias). Each check fails with the "needs authentication or Cannot POST /token" entry
// and says what exactly is wrong: missing, HTML, invalid, inconsistent.
import { describe, isObject, networkError, type Probe, probe } from './http.ts';
import { ENTRIES, StepFailure } from './report.ts';

export interface Challenge {
  resourceMetadataUrl: string | undefined;
  scope: string | undefined;
}

export interface ResourceMetadata {
  url: string;
  resource: string;
  authorizationServer: string;
  scopesSupported: string[];
  /** The whole document, for the conformance checks. */
  document: Record<string, unknown>;
}

export interface AuthServerMetadata {
  url: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string | undefined;
  tokenAuthMethods: string[];
  /** `client_id_metadata_document_supported`: clients with a metadata document send its URL as client_id. */
  cimdSupported: boolean;
  scopesSupported: string[];
  /** The whole document, for the conformance checks. */
  document: Record<string, unknown>;
}

const STALE = 'you are usually hitting a stale server, a proxy, or the wrong base URL';

/** Step "reachable": an unauthenticated POST /mcp must answer 401 with a Bearer challenge. */
export async function readChallenge(mcpUrl: string): Promise<Challenge> {
  let p: Probe;
  try {
    p = await probe(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'enginy-doctor', version: '1' },
        },
      }),
    });
  } catch (error) {
    throw new StepFailure(
      'reachable',
      `No answer from ${mcpUrl}: ${networkError(error)}`,
      ENTRIES.verify,
      `Start the OpenAPI service (pnpm dev) or check the MCP URL; the default local one is http://localhost:3001/mcp.`,
    );
  }
  const header = p.headers.get('www-authenticate') ?? '';
  if (p.status !== 401 || !/^Bearer\b/i.test(header)) {
    throw new StepFailure(
      'reachable',
      `POST ${mcpUrl} without a token answered ${describe(p)}${header ? ` and WWW-Authenticate: ${header}` : ''}, not 401 with a Bearer challenge`,
      ENTRIES.tokenPath,
      `This is not an OAuth-protected MCP endpoint: ${STALE}. Use the MCP URL itself (ending in /mcp).`,
    );
  }
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
  return { resourceMetadataUrl: param('resource_metadata'), scope: param('scope') };
}

/** The first of `urls` answering 200 with a JSON object, and what the others answered. */
async function firstJsonDocument(
  urls: string[],
): Promise<{ found?: { url: string; doc: Record<string, unknown> }; tried: string[] }> {
  const tried: string[] = [];
  for (const url of urls) {
    let p: Probe;
    try {
      p = await probe(url);
    } catch (error) {
      tried.push(`${url}: ${networkError(error)}`);
      continue;
    }
    if (p.status === 200 && isObject(p.json)) return { found: { url, doc: p.json }, tried };
    tried.push(`${url}: ${describe(p)}`);
  }
  return { tried };
}

/** The candidate PRM URLs in Claude Code's order, without duplicates. */
export function resourceMetadataUrls(mcpUrl: string, fromHeader: string | undefined): string[] {
  const url = new URL(mcpUrl);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const candidates = [
    fromHeader,
    `${url.origin}/.well-known/oauth-protected-resource${path}`,
    `${url.origin}/.well-known/oauth-protected-resource`,
  ];
  return [...new Set(candidates.filter((c): c is string => c !== undefined))];
}

/** Step "resource-metadata": the first candidate answering JSON is used; it must name this MCP URL. */
export async function readResourceMetadata(mcpUrl: string, challenge: Challenge): Promise<ResourceMetadata> {
  const { found, tried } = await firstJsonDocument(resourceMetadataUrls(mcpUrl, challenge.resourceMetadataUrl));
  if (found !== undefined) {
    const { url, doc } = found;
    const fail = (what: string) =>
      new StepFailure(
        'resource-metadata',
        `${url}: ${what}`,
        ENTRIES.tokenPath,
        `The protected-resource metadata does not describe ${mcpUrl}: ${STALE}.`,
      );
    if (doc.resource !== mcpUrl)
      throw fail(
        `resource is ${JSON.stringify(doc.resource)}, not the MCP URL ${mcpUrl} (a proxy rewriting paths or hosts, or the wrong base URL)`,
      );
    const servers = Array.isArray(doc.authorization_servers)
      ? doc.authorization_servers.filter((s): s is string => typeof s === 'string')
      : [];
    if (servers[0] === undefined) throw fail('authorization_servers is missing or empty');
    const scopes = Array.isArray(doc.scopes_supported)
      ? doc.scopes_supported.filter((s): s is string => typeof s === 'string')
      : [];
    return { url, resource: doc.resource, authorizationServer: servers[0], scopesSupported: scopes, document: doc };
  }
  throw new StepFailure(
    'resource-metadata',
    `No protected-resource metadata: ${tried.join('; ')}`,
    ENTRIES.tokenPath,
    `Without metadata Claude Code guesses /authorize and /token at the server's origin and shows "needs authentication" or "Cannot POST /token": ${STALE}. Serve /.well-known/oauth-protected-resource/mcp (and the root form) as JSON.`,
  );
}

/** RFC 8414 §3.1: the well-known suffix goes between the host and the issuer's path. */
export function authServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

/** Step "auth-server-metadata": the issuer equals where it was fetched from, S256 is advertised. */
export async function readAuthServerMetadata(issuer: string): Promise<AuthServerMetadata> {
  const { found, tried } = await firstJsonDocument(authServerMetadataUrls(issuer));
  if (found !== undefined) {
    const { url, doc } = found;
    const fail = (what: string, fix = `The authorization server at ${issuer} is misconfigured: ${STALE}.`) =>
      new StepFailure('auth-server-metadata', `${url}: ${what}`, ENTRIES.tokenPath, fix);
    // RFC 8414 §3.3: the issuer in the document must be identical to the one it was derived from.
    if (doc.issuer !== issuer)
      throw fail(
        `issuer is ${JSON.stringify(doc.issuer)}, not ${issuer} where it was fetched from`,
        `Make the auth service's issuer (AUTH_ISSUER) equal its public URL ${issuer}: ${STALE}.`,
      );
    const methods = Array.isArray(doc.code_challenge_methods_supported) ? doc.code_challenge_methods_supported : [];
    if (!methods.includes('S256'))
      throw fail('code_challenge_methods_supported does not list S256; Claude Code will not go on without PKCE S256');
    if (typeof doc.authorization_endpoint !== 'string' || typeof doc.token_endpoint !== 'string')
      throw fail('authorization_endpoint or token_endpoint is missing');
    return {
      url,
      issuer,
      authorizationEndpoint: doc.authorization_endpoint,
      tokenEndpoint: doc.token_endpoint,
      registrationEndpoint: typeof doc.registration_endpoint === 'string' ? doc.registration_endpoint : undefined,
      tokenAuthMethods: Array.isArray(doc.token_endpoint_auth_methods_supported)
        ? doc.token_endpoint_auth_methods_supported.map(String)
        : [],
      cimdSupported: doc.client_id_metadata_document_supported === true,
      scopesSupported: Array.isArray(doc.scopes_supported)
        ? doc.scopes_supported.filter((s): s is string => typeof s === 'string')
        : [],
      document: doc,
    };
  }
  throw new StepFailure(
    'auth-server-metadata',
    `No authorization-server metadata for ${issuer}: ${tried.join('; ')}`,
    ENTRIES.tokenPath,
    `Start the auth service, or fix authorization_servers in the resource metadata: ${STALE}.`,
  );
}

/**
 * Step "token-endpoint": a token request without a code must get an OAuth JSON error (RFC 6749
 * §5.2). HTML or a framework 404 here is what Claude Code reports as "Cannot POST /token".
 */
export async function probeTokenEndpoint(tokenEndpoint: string): Promise<string> {
  let p: Probe;
  try {
    p = await probe(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=authorization_code',
    });
  } catch (error) {
    throw new StepFailure(
      'token-endpoint',
      `POST ${tokenEndpoint}: ${networkError(error)}`,
      ENTRIES.tokenPath,
      `The token endpoint is unreachable: ${STALE}.`,
    );
  }
  if (p.status >= 400 && p.status < 500 && isObject(p.json) && typeof p.json.error === 'string')
    return `POST ${tokenEndpoint} answers OAuth JSON (${p.json.error})`;
  throw new StepFailure(
    'token-endpoint',
    `POST ${tokenEndpoint} answered ${describe(p)}, not an OAuth JSON error`,
    ENTRIES.tokenPath,
    `The advertised token endpoint is not Enginy's: ${STALE}. Point the client at the MCP URL and check that no proxy rewrites /token.`,
  );
}
