import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import changeFeed from '@enginy/service/change-feed';
import failureLab from '@enginy/service/failure-lab';
import health from '@enginy/service/health';
import { loggerOptions } from '@enginy/service/logger';
import { openSharedStore } from '@enginy/service/shared-store';
import Fastify, { type FastifyInstance } from 'fastify';
import { ApiKeyLastUsed } from './auth/api-key-last-used.ts';
import { apiKeyResolver } from './auth/api-key-resolver.ts';
import authGate from './auth/gate.ts';
import type { CredentialResolver } from './auth/principal.ts';
import { createActionRunner } from './jobs/action-runner.ts';
import mcp from './mcp/route.ts';
import { recordDiscoverySteps } from './mcp/discovery-steps.ts';
import { protectedResourceRoutes } from './mcp/protected-resource.ts';
import errorHandler, { renderFrameworkError } from './plugins/error-handler.ts';
import openapiDocs from './plugins/openapi-docs.ts';
import rateLimits from './plugins/rate-limit.ts';
import { claimShadowedMethods, recordRouteMethods } from './plugins/route-methods.ts';
import { operationRegistry } from './operations/registry.ts';
import operationRoutes from './rest/operation-routes.ts';
import { oauthAliasRoutes } from './routes/oauth-aliases.ts';
import validation from './validation/ajv.ts';
import { compileOperation } from './validation/input-validators.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes the batched usage (API keys' and MCP connections' last use) now, e.g. in a test. */
    flushUsage(): Promise<void>;
  }
}

export interface AppDeps {
  db: Db;
  /** More ways to authenticate, asked after the API key (e.g. OAuth bearer tokens). */
  credentialResolvers?: CredentialResolver[];
  /** How long a started action waits before it runs (default 1.5 s). */
  actionDelayMs?: number;
  /** How often batched usage (API keys' and MCP connections' last use) is written (default 2 s). */
  usageFlushMs?: number;
}

/** Builds the OpenAPI service (REST API + MCP endpoint). Never listens: see server.ts. */
export async function buildApp(config: StackConfig, deps: AppDeps): Promise<FastifyInstance> {
  // No implicit HEAD routes: every operation in the document is one a client (or MCP tool) can call.
  const app = Fastify({
    logger: loggerOptions(config, 'openapi'),
    bodyLimit: 1024 * 1024,
    exposeHeadRoutes: false,
    frameworkErrors: renderFrameworkError,
    // request.ip is the socket's peer, unless a load balancer in front of it is configured
    // (OPENAPI_TRUSTED_PROXIES, none by default): then the caller it names in X-Forwarded-For.
    trustProxy: config.openapi.trustedProxies.length > 0 ? config.openapi.trustedProxies : false,
  });
  const { db } = deps;
  // Infrastructure: the methods of every path (for 405s), errors, validation, the document, the
  // scope gate, rate limits.
  const routeMethods = recordRouteMethods(app);
  await app.register(errorHandler, { routes: routeMethods });
  await app.register(validation);
  // The API speaks JSON only: any other body is a 415, not a string handed to a route.
  app.removeContentTypeParser('text/plain');
  await app.register(openapiDocs);
  const keysLastUsed = new ApiKeyLastUsed(db, app.log, deps.usageFlushMs);
  app.addHook('onReady', async () => keysLastUsed.start());
  app.addHook('onClose', () => keysLastUsed.close());
  app.decorate('flushUsage', async () => {
    await keysLastUsed.flush();
    await app.mcpUsage.flush();
  });
  await app.register(authGate, {
    resolvers: [
      apiKeyResolver(db, config.tokenHashKey, (keyId) => keysLastUsed.record(keyId)),
      ...(deps.credentialResolvers ?? []),
    ],
  });
  const sharedStore = await openSharedStore(config, { service: 'openapi', db, log: app.log });
  app.addHook('onClose', () => sharedStore.close());
  await app.register(rateLimits, { store: sharedStore.rateLimit });

  // Decorators and background work.
  const actions = createActionRunner(db, app.log, deps.actionDelayMs ?? 1_500);
  app.addHook('onReady', () => actions.resumePending());
  app.addHook('onClose', () => actions.close());

  // Routes.
  await app.register(health, { service: 'openapi', db });
  // One LISTEN connection for the process: every notification channel, one fence per request.
  await app.register(changeFeed, { config });
  // The failure lab's switches (`pnpm lab`), held in memory; never any in production.
  await app.register(failureLab, { config, db });
  await app.register(oauthAliasRoutes, { config }); // /token, /authorize, /register guessed at this origin
  // Every operation, defined once: its REST route (and so its place in the document) and its MCP tool.
  const operations = operationRegistry({ db, actions }).map(compileOperation);
  await app.register(operationRoutes, { operations });
  // The MCP endpoint, a tool per operation, and its resource metadata.
  recordDiscoverySteps(app, { config, db }); // the first step of the console's flows
  await app.register(protectedResourceRoutes, { config, db });
  await app.register(mcp, {
    config,
    db,
    operations,
    ...(deps.usageFlushMs === undefined ? {} : { usageFlushMs: deps.usageFlushMs }),
  });
  // Last: GET /v1/companies/search answers 405 (Allow: POST) instead of reaching /{companyId}.
  claimShadowedMethods(app, routeMethods);
  return app;
}
