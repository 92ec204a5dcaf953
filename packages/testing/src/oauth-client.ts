// One OAuth test client for the whole repository: the authorization-code flow against our auth
// server (or any RFC 7591 + PKCE server), step by step so that a test can change any step.
// Register (RFC 7591), PKCE S256, sign in through the session API, /authorize, consent as the web
// app posts it, the code exchange, refresh and revocation. It speaks through a Transport: `app.inject`
// for route tests, fetch (or any fetch-shaped sender) for a stack on localhost. `pnpm mcp-token`
// (tools/stack) runs the same steps against the endpoints it discovered, so tests and scripts share them.
import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI, DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import type { ConsentView as ConsentViewSchema } from '@enginy/contracts/consent';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Static } from 'typebox';

/** The seeded users (packages/db's seed, with the default password). */
export const ADMIN = { email: DEFAULT_SEED_ADMIN.email, password: DEFAULT_SEED_ADMIN.password };
export const MEMBER = { email: 'member@enginy.local', password: DEFAULT_SEED_ADMIN.password };

export interface OAuthRequest {
  method: 'GET' | 'POST';
  /** Path and query on the authorization server, e.g. `/token`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the client itself needs to read from an answer. */
export interface Reply {
  status: number;
  location: string | undefined;
  /** Each Set-Cookie header's `name=value`. */
  cookies: string[];
  text: string;
}

/**
 * How requests reach the server. `Answer` is the transport's own response type (inject's or fetch's),
 * handed back as is by the steps a test checks itself (authorize, consent, token).
 */
export interface Transport<Answer> {
  send(request: OAuthRequest): Promise<Answer>;
  read(answer: Answer): Promise<Reply>;
}

export function injectTransport(app: FastifyInstance): Transport<LightMyRequestResponse> {
  return {
    send: ({ method, path, headers, body }) => app.inject({ method, url: path, headers, payload: body }),
    read: async (answer) => ({
      status: answer.statusCode,
      location: answer.headers.location as string | undefined,
      cookies: answer.cookies.map((cookie) => `${cookie.name}=${cookie.value}`),
      text: answer.body,
    }),
  };
}

/** The part of fetch the client uses: a test may pass its own sender (another source address, say). */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; redirect: 'manual' },
) => Promise<Response>;

/**
 * Real HTTP to the server at `baseUrl` (its issuer). Redirects are answers, never followed. A path
 * that is a whole URL (an endpoint read from metadata) is sent there as is.
 */
export function fetchTransport(baseUrl: string, send: Fetch = fetch): Transport<Response> {
  return {
    send: ({ method, path, headers = {}, body }) =>
      send(/^https?:\/\//.test(path) ? path : `${baseUrl}${path}`, { method, headers, body, redirect: 'manual' }),
    read: async (answer) => ({
      status: answer.status,
      location: answer.headers.get('location') ?? undefined,
      cookies: answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0] ?? ''),
      text: await answer.text(),
    }),
  };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A form body (or query) without the parameters left undefined. */
export function form(params: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The OAuth error body (`error`, `error_description`) of a fetch answer. */
export async function errorOf(response: Response): Promise<{ error?: string; error_description?: string }> {
  return (await response.json()) as { error?: string; error_description?: string };
}

/** A step's answer was not the one expected: its status and body, for a caller that shows the server's words. */
export class OAuthStepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${step}: HTTP ${status} ${body.slice(0, 500)}`);
  }

  /** The server's own message: the OAuth `error_description` (or `error`) of a JSON body, else the body. */
  get serverMessage(): string {
    try {
      const json = JSON.parse(this.body) as { error?: unknown; error_description?: unknown };
      const said = json.error_description ?? json.error;
      if (typeof said === 'string') return said;
    } catch {
      // Not JSON: the body is the message.
    }
    return this.body.trim() || `HTTP ${this.status}`;
  }
}

/** What the consent page shows (GET /consent/:id), from its contract. */
export type ConsentView = Static<typeof ConsentViewSchema>;

export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  [field: string]: unknown;
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
}

export interface AuthorizeParams {
  clientId: string;
  challenge: string;
  redirectUri?: string;
  scope?: string;
  resource?: string;
  state?: string;
  /** Further query parameters (response_mode, iss, …); undefined ones are left out. */
  extra?: Record<string, string | undefined>;
}

/** Where the OAuth endpoints are: paths on the transport's server, or URLs (from RFC 8414 metadata). */
export interface Endpoints {
  registration: string;
  authorization: string;
  token: string;
}

const OUR_ENDPOINTS: Endpoints = { registration: '/register', authorization: '/authorize', token: '/token' };

export interface OAuthClientOptions {
  /** The OAuth endpoints, if not our server's paths (a client that discovered them). */
  endpoints?: Partial<Endpoints>;
  /** The web app's origin: sent as Origin to the session and consent API, and where /authorize hands over. */
  webUrl?: string;
  /** The `resource` (RFC 8707) sent to /authorize and /token unless a step says otherwise; none if unset. */
  resource?: string;
  redirectUri?: string;
  /** The `client_name` of registrations that name none. */
  clientName?: string | (() => string);
  /** The workspace approvals choose unless told. */
  workspaceId?: string;
  state?: string;
}

export class OAuthTestClient<Answer> {
  readonly redirectUri: string;
  private readonly endpoints: Endpoints;

  constructor(
    readonly transport: Transport<Answer>,
    private readonly options: OAuthClientOptions = {},
  ) {
    this.redirectUri = options.redirectUri ?? CLAUDE_CODE_REDIRECT_URI;
    this.endpoints = { ...OUR_ENDPOINTS, ...options.endpoints };
  }

  private async expectStatus(answer: Answer, status: number, step: string): Promise<Reply> {
    const reply = await this.transport.read(answer);
    if (reply.status !== status) throw new OAuthStepError(step, reply.status, reply.text);
    return reply;
  }

  private json(headers: Record<string, string> = {}): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(this.options.webUrl === undefined ? {} : { origin: this.options.webUrl }),
      ...headers,
    };
  }

  /** RFC 7591 dynamic registration of a public client (unless `metadata` says otherwise); expects 201. */
  async register(metadata: Record<string, unknown> = {}): Promise<RegisteredClient> {
    const name = this.options.clientName;
    const body = {
      client_name: typeof name === 'function' ? name() : (name ?? 'Claude Code (enginy)'),
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    };
    const answer = await this.transport.send({
      method: 'POST',
      path: this.endpoints.registration,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return JSON.parse((await this.expectStatus(answer, 201, '/register')).text) as RegisteredClient;
  }

  /** Signs in through the session API, as the web app's sign-in page does; expects 200. */
  async signIn(who: { email: string; password: string } = ADMIN): Promise<Session> {
    const answer = await this.transport.send({
      method: 'POST',
      path: '/session',
      headers: this.json(),
      body: JSON.stringify(who),
    });
    const reply = await this.expectStatus(answer, 200, '/session');
    const cookie = reply.cookies.find((c) => /^(__Host-)?enginy_session=/.test(c)) ?? '';
    return { cookie, csrfToken: (JSON.parse(reply.text) as { csrfToken: string }).csrfToken };
  }

  authorizeQuery(p: AuthorizeParams): string {
    return form({
      response_type: 'code',
      client_id: p.clientId,
      redirect_uri: p.redirectUri ?? this.redirectUri,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
      state: p.state ?? this.options.state ?? 'st-1',
      resource: p.resource ?? this.options.resource,
      scope: p.scope,
      ...p.extra,
    }).toString();
  }

  authorize(p: AuthorizeParams): Promise<Answer> {
    return this.transport.send({ method: 'GET', path: `${this.endpoints.authorization}?${this.authorizeQuery(p)}` });
  }

  /**
   * /authorize for a valid request → the web app's consent page it redirects the browser to, whose
   * origin is the web app's (any origin when `webUrl` is unset: a client learns it here).
   */
  async handOver(p: AuthorizeParams): Promise<{ consentPage: URL; requestId: string }> {
    const reply = await this.transport.read(await this.authorize(p));
    const location = reply.location ?? '';
    const page = reply.status === 302 && URL.canParse(location) ? new URL(location) : undefined;
    const expected = this.options.webUrl === undefined || page?.origin === this.options.webUrl;
    const requestId = page?.pathname === '/consent' && expected ? page.searchParams.get('request') : null;
    if (page === undefined || requestId === null) {
      // An error sent back to the client (RFC 6749 §4.1.2.1) has its words in the redirect's query.
      const sentBack = page?.searchParams.has('error')
        ? JSON.stringify(Object.fromEntries(page.searchParams))
        : undefined;
      throw new OAuthStepError(
        `/authorize did not hand over to the consent page: ${reply.status} ${location}`,
        reply.status,
        sentBack ?? reply.text,
      );
    }
    return { consentPage: page, requestId };
  }

  /** /authorize for a valid request → the pending request's id from the redirect to the consent page. */
  async startAuthorization(p: AuthorizeParams): Promise<string> {
    return (await this.handOver(p)).requestId;
  }

  /** The consent page's view (GET): the request, the user's workspaces, the decision for the chosen one. */
  async consentView(session: Session, requestId: string, workspaceId?: string): Promise<ConsentView> {
    const query = workspaceId === undefined ? '' : `?${form({ workspace: workspaceId })}`;
    const answer = await this.transport.send({
      method: 'GET',
      path: `/consent/${encodeURIComponent(requestId)}${query}`,
      headers: { cookie: session.cookie },
    });
    return JSON.parse((await this.expectStatus(answer, 200, 'GET /consent')).text) as ConsentView;
  }

  /** The consent decision as the web app posts it for the signed-in user. */
  consent(
    session: Session,
    requestId: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return this.transport.send({
      method: 'POST',
      path: `/consent/${requestId}`,
      headers: this.json({ cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...headers }),
      body: JSON.stringify(body),
    });
  }

  /** Approves in the workspace; resolves to the authorization response URL (code, state, iss). */
  async approve(session: Session, requestId: string, workspaceId = this.workspace()): Promise<URL> {
    const reply = await this.expectStatus(
      await this.consent(session, requestId, { workspaceId, decision: 'approve' }),
      200,
      '/consent',
    );
    return new URL((JSON.parse(reply.text) as { redirectTo: string }).redirectTo);
  }

  /** /authorize, then approval: an authorization code and the verifier that redeems it. */
  async approvedCode(
    session: Session,
    workspaceId: string,
    p: Omit<AuthorizeParams, 'challenge'>,
  ): Promise<{ code: string; redirect: URL; verifier: string }> {
    const pkce = pkcePair();
    const redirect = await this.approve(
      session,
      await this.startAuthorization({ ...p, challenge: pkce.challenge }),
      workspaceId,
    );
    return { code: redirect.searchParams.get('code') ?? '', redirect, verifier: pkce.verifier };
  }

  token(params: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.transport.send({
      method: 'POST',
      path: this.endpoints.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form(params).toString(),
    });
  }

  private async tokens(params: Record<string, string | undefined>, step: string): Promise<TokenResponse> {
    return JSON.parse((await this.expectStatus(await this.token(params), 200, step)).text) as TokenResponse;
  }

  /** The code exchange (PKCE S256); expects 200. */
  redeem(
    clientId: string,
    code: string,
    verifier: string,
    extra: Record<string, string | undefined> = {},
  ): Promise<TokenResponse> {
    const params = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: this.redirectUri,
      client_id: clientId,
      resource: this.options.resource,
      ...extra,
    };
    return this.tokens(params, '/token (authorization_code)');
  }

  /** Register (unless given a client), authorize, approve, redeem: one new grant's first token pair. */
  async authorizeAndRedeem(
    session: Session,
    options: { clientId?: string; scope?: string; workspaceId?: string } = {},
  ): Promise<TokenResponse & { clientId: string }> {
    const clientId = options.clientId ?? (await this.register()).client_id;
    const { code, verifier } = await this.approvedCode(session, options.workspaceId ?? this.workspace(), {
      clientId,
      scope: options.scope,
    });
    return { ...(await this.redeem(clientId, code, verifier)), clientId };
  }

  /** The refresh_token grant (the refresh token rotates); expects 200. */
  refresh(clientId: string, refreshToken: string, extra: Record<string, string> = {}): Promise<TokenResponse> {
    return this.tokens(
      { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...extra },
      '/token (refresh_token)',
    );
  }

  private workspace(): string {
    if (this.options.workspaceId === undefined) throw new Error('no workspace to approve in: pass workspaceId');
    return this.options.workspaceId;
  }
}

/** A client of our stack: Origin is its web app, the resource its MCP endpoint. */
export function oauthClient<Answer>(
  transport: Transport<Answer>,
  config: StackConfig,
  options: OAuthClientOptions = {},
): OAuthTestClient<Answer> {
  return new OAuthTestClient(transport, { webUrl: config.web.url, resource: config.openapi.mcpUrl, ...options });
}
