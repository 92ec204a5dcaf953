import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import health from '@enginy/service/health';
import { loggerOptions } from '@enginy/service/logger';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.ts';

export interface AppDeps {
  db: Db;
}

/** Builds the OpenAPI service (REST API + MCP endpoint). Never listens: see server.ts. */
export async function buildApp(config: StackConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions(config, 'openapi'), bodyLimit: 1024 * 1024 });
  registerErrorHandling(app);
  await app.register(health, { service: 'openapi', db: deps.db });
  return app;
}
