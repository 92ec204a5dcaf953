import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import changeFeed from '@enginy/service/change-feed';
import failureLab from '@enginy/service/failure-lab';
import health from '@enginy/service/health';
import { MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';
import { loggerOptions } from '@enginy/service/logger';
import { openSharedStore } from '@enginy/service/shared-store';
import Fastify, { type FastifyInstance } from 'fastify';
import { allowAnyOrigin } from './cors.ts';
import { TooManyRequests } from './errors/classes.ts';
import { registerErrorHandling, renderFrameworkError } from './errors/handler.ts';
import { recordFlowSteps } from './flows/record-steps.ts';
import { purgeExpiredJob } from './jobs/purge-expired.ts';
import issuerMoved from './lab/issuer-moved-plugin.ts';
import { MOVED_METADATA_PATHS } from './lab/issuer-moved.ts';
import noDcrLab from './lab/no-dcr.ts';
import consoleApi from './console/console-api.ts';
import { authorizeEndpoint } from './oauth/authorize/endpoint.ts';
import { consentEndpoint } from './oauth/consent/endpoint.ts';
import { METADATA_PATHS, metadataEndpoint } from './oauth/metadata/endpoint.ts';
import { REGISTER_PATHS, registerEndpoint } from './oauth/register/endpoint.ts';
import { REVOKE_PATHS, revokeEndpoint } from './oauth/revoke/endpoint.ts';
import { TOKEN_PATHS, tokenEndpoint } from './oauth/token/endpoint.ts';
import { sessionRoutes } from './session/routes.ts';

export interface AppDeps {
  db: Db;
}

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
  // Infrastructure: body parsers, cookies, rate limits (per caller address, on the routes that opt in),
  // counted on the shared store when one is configured (RATE_LIMIT_STORE / REDIS_URL) so that every
  // replica enforces the same limit, not one each.
  await app.register(formbody);
  await app.register(cookie);
  const sharedStore = await openSharedStore(config, { service: 'auth', db: deps.db, log: app.log });
  app.addHook('onClose', () => sharedStore.close());
  await app.register(rateLimit, {
    ...sharedStore.rateLimit,
    global: false,
    errorResponseBuilder: (_request, context) => new TooManyRequests(Math.ceil(context.ttl / 1000)),
  });
  const publicPaths = [...METADATA_PATHS, ...TOKEN_PATHS, ...REGISTER_PATHS, ...REVOKE_PATHS];
  allowAnyOrigin(app, [
    ...publicPaths,
    ...MOVED_METADATA_PATHS,
    ...[...TOKEN_PATHS, ...REGISTER_PATHS, ...REVOKE_PATHS].map((path) => `${MOVED_ISSUER_PATH}${path}`),
  ]);

  // Background work: expired sessions, requests, codes and tokens are purged hourly.
  const purge = purgeExpiredJob(deps.db, app.log, config);
  app.addHook('onReady', async () => purge.start());
  app.addHook('onClose', () => purge.close());

  await app.register(health, { service: 'auth', db: deps.db });
  // One LISTEN connection for the process: every notification channel, one fence per request.
  await app.register(changeFeed, { config });
  // The failure lab's switches (`pnpm lab`), held in memory; never any in production.
  await app.register(failureLab, { config, db: deps.db });
  await app.register(noDcrLab);
  // Each OAuth answer as a step of its connection, for the console's Flows page.
  recordFlowSteps(app, { config, db: deps.db });
  // The OAuth authorization server (src/oauth/), one plugin per endpoint.
  const routeOptions = { config, db: deps.db, sharedStore };
  await app.register(metadataEndpoint, routeOptions);
  await app.register(registerEndpoint, routeOptions);
  await app.register(authorizeEndpoint, routeOptions);
  await app.register(tokenEndpoint, routeOptions);
  await app.register(revokeEndpoint, routeOptions);
  // The failure lab's issuer-moved: the same endpoints as a second issuer, <issuer>/v2, only while it is on.
  await app.register(issuerMoved, routeOptions);
  // The web app's sign-in session (src/session/) and the consent step it leads to.
  await app.register(sessionRoutes, routeOptions);
  await app.register(consentEndpoint, routeOptions);

  // The workspace console (the web app calls these as /api/auth/console/...): members read, admins write.
  await app.register(consoleApi, routeOptions);
  return app;
}
