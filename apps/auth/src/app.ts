import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import health from '@enginy/service/health';
import { loggerOptions } from '@enginy/service/logger';
import Fastify, { type FastifyInstance } from 'fastify';
import { allowAnyOrigin } from './cors.ts';
import { registerErrorHandling, renderFrameworkError, TooManyRequests } from './errors.ts';
import { purgeExpiredJob } from './jobs/purge-expired.ts';
import { AUTHORIZE_PATHS, authorizeRoutes } from './routes/authorize.ts';
import { consentRoutes } from './routes/consent.ts';
import consoleApi from './console/console-api.ts';
import { METADATA_PATHS, metadataRoutes } from './routes/metadata.ts';
import { REGISTER_PATHS, registerRoutes } from './routes/register.ts';
import { REVOKE_PATHS, revokeRoutes } from './routes/revoke.ts';
import { sessionRoutes } from './routes/session.ts';
import { TOKEN_PATHS, tokenRoutes } from './routes/token.ts';

export interface AppDeps {
  db: Db;
}

/** Every path the authorization server answers at, aliases included (the OpenAPI service mirrors some). */
export const OAUTH_PATHS = { authorize: AUTHORIZE_PATHS, token: TOKEN_PATHS, register: REGISTER_PATHS, revoke: REVOKE_PATHS } as const;

/** Builds the API OAuth routes (the authorization server). Never listens: see server.ts. */
export async function buildApp(config: StackConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, 'auth'),
    bodyLimit: 64 * 1024,
    frameworkErrors: renderFrameworkError,
    // request.ip is the caller's address, as the stack's own proxies (the OpenAPI service's OAuth
    // aliases, the web app's proxy) forward it in X-Forwarded-For; believed from them only (TRUSTED_PROXIES,
    // loopback by default). RFC 7239 §8.1: a forwarding header "cannot be relied upon to be correct, as it
    // may be modified ... by every node on the way to the server, including the client making the request".
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
  });
  registerErrorHandling(app);
  // Infrastructure: body parsers, cookies, rate limits (per caller address, on the routes that opt in).
  await app.register(formbody);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new TooManyRequests(Math.ceil(context.ttl / 1000)),
  });
  allowAnyOrigin(app, [...METADATA_PATHS, ...TOKEN_PATHS, ...REGISTER_PATHS, ...REVOKE_PATHS]);

  // Background work: expired sessions, requests, codes and tokens are purged hourly.
  const purge = purgeExpiredJob(deps.db, app.log);
  app.addHook('onReady', async () => purge.start());
  app.addHook('onClose', () => purge.close());

  await app.register(health, { service: 'auth', db: deps.db });
  await metadataRoutes(app, config, deps.db);
  await registerRoutes(app, config, deps.db);
  await authorizeRoutes(app, config, deps.db);
  await tokenRoutes(app, config, deps.db);
  await revokeRoutes(app, config, deps.db);
  await sessionRoutes(app, config, deps.db);
  await consentRoutes(app, config, deps.db);
  // The workspace console (the web app calls these as /api/auth/console/...): members read, admins write.
  await app.register(consoleApi, { config, db: deps.db });
  return app;
}
