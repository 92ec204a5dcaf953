// The loopback listener Claude Code runs during the browser step, as a tiny Fastify app on
// 127.0.0.1:<callback-port>. @fastify/oauth2 does the OAuth client side: /start sets the state and
// PKCE (S256) verifier cookies and redirects to /authorize with `resource`; /callback checks the
// state and exchanges the code at the discovered token endpoint.
import fastifyOauth2, { type OAuth2Namespace, type Token } from '@fastify/oauth2';
import { createServer } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AuthServerMetadata } from './discovery.ts';
import { networkError } from './http.ts';
import type { RegisteredClient } from './registration.ts';

/** What reached the callback: a token, an error the authorization server sent back, or a failed exchange. */
export type CallbackOutcome =
  | { kind: 'token'; token: Token; iss: string | undefined }
  | { kind: 'authorization-error'; error: string; description: string }
  | { kind: 'token-error'; status: number | undefined; error: string; description: string };

export interface CallbackListener {
  /** Open this in the browser: it starts the flow with fresh state and verifier cookies. */
  startUrl: string;
  outcome: Promise<CallbackOutcome>;
  close(): Promise<void>;
}

export interface ListenerOptions {
  as: AuthServerMetadata;
  client: RegisteredClient;
  redirectUri: string;
  port: number;
  resource: string;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    enginy: OAuth2Namespace;
  }
}

const page = (message: string) =>
  `<!doctype html><html><body><p>${message}</p><p>You can close this window and return to the terminal.</p></body></html>`;

export async function startCallbackListener(options: ListenerOptions): Promise<CallbackListener> {
  const { as, client, redirectUri } = options;
  const app: FastifyInstance = Fastify();
  const authorize = new URL(as.authorizationEndpoint);
  const token = new URL(as.tokenEndpoint);
  await app.register(fastifyOauth2, {
    name: 'enginy',
    scope: options.scopes,
    credentials: {
      // A public client (method none) sends only client_id: simple-oauth2 always writes the secret
      // parameter, so it is pointed at client_id itself.
      client:
        client.clientSecret === undefined
          ? { id: client.clientId, secret: client.clientId, secretParamName: 'client_id' }
          : { id: client.clientId, secret: client.clientSecret },
      auth: {
        authorizeHost: authorize.origin,
        authorizePath: authorize.pathname,
        tokenHost: token.origin,
        tokenPath: token.pathname,
      },
      options: { authorizationMethod: client.authMethod === 'client_secret_basic' ? 'header' : 'body' },
    },
    startRedirectPath: '/start',
    callbackUri: redirectUri,
    // RFC 8707: the resource goes on the authorization AND the token request.
    callbackUriParams: { resource: options.resource },
    tokenRequestParams: { resource: options.resource },
    pkce: 'S256',
  });

  let settle: (outcome: CallbackOutcome) => void = () => {};
  const outcome = new Promise<CallbackOutcome>((resolve) => {
    settle = resolve;
  });
  app.get<{ Querystring: Record<string, string | undefined> }>(
    new URL(redirectUri).pathname,
    async (request, reply) => {
      const q = request.query;
      if (q.error !== undefined) {
        settle({ kind: 'authorization-error', error: q.error, description: q.error_description ?? '' });
        return reply.type('text/html').send(page(`Authorization failed: ${q.error}.`));
      }
      try {
        const result = await app.enginy.getAccessTokenFromAuthorizationCodeFlow(request, reply);
        settle({ kind: 'token', token: result.token, iss: q.iss });
        return reply.type('text/html').send(page('Authorization complete.'));
      } catch (error) {
        settle(tokenError(error));
        return reply.type('text/html').send(page('The token exchange failed.'));
      }
    },
  );
  await app.listen({ host: '127.0.0.1', port: options.port });
  const start = new URL(redirectUri);
  start.pathname = '/start';
  return { startUrl: start.href, outcome, close: () => app.close() };
}

/** simple-oauth2 throws a Boom error carrying the token endpoint's response. */
function tokenError(error: unknown): CallbackOutcome {
  const boom = error as {
    output?: { statusCode?: number };
    data?: { payload?: unknown; res?: { statusCode?: number; headers?: Record<string, string> } };
    message?: string;
  };
  const status = boom.data?.res?.statusCode ?? boom.output?.statusCode;
  let payload = boom.data?.payload;
  if (Buffer.isBuffer(payload)) payload = payload.toString('utf8');
  if (typeof payload === 'string') {
    const text = payload;
    try {
      payload = JSON.parse(text);
    } catch {
      const framework = /Cannot (GET|POST) [^\s<]+/.exec(text)?.[0];
      const html = /<html|<!doctype|<body|<pre/i.test(text);
      return {
        kind: 'token-error',
        status,
        error: html ? 'html' : 'not_json',
        description: framework ?? `${html ? 'HTML' : 'a non-JSON body'} (${text.slice(0, 80).trim()})`,
      };
    }
  }
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const body = payload as { error: unknown; error_description?: unknown };
    return {
      kind: 'token-error',
      status,
      error: String(body.error),
      description: String(body.error_description ?? ''),
    };
  }
  return {
    kind: 'token-error',
    status,
    error: status === undefined ? 'network' : 'unexpected',
    description: status === undefined ? networkError(error) : (boom.message ?? 'unknown'),
  };
}

/** Whether 127.0.0.1:`port` is free now, as a client that moves to another port while one is taken checks it. */
export function loopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
