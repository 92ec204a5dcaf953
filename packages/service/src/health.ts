import { type Db, isDatabaseReady } from '@enginy/db/client';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface HealthOptions {
  service: string;
  db: Db;
}

/**
 * `/healthz`: the process is up (liveness, never touches the database).
 * `/readyz`: the process can serve, i.e. the database answers; 503 while it does not.
 */
const health: FastifyPluginAsync<HealthOptions> = async (app, { service, db }) => {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok', service }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const database = await isDatabaseReady(db);
    reply.header('cache-control', 'no-store');
    return reply.code(database ? 200 : 503).send({
      status: database ? 'ready' : 'unavailable',
      service,
      checks: { database: database ? 'ok' : 'unreachable' },
    });
  });
};

export default fp(health, { name: 'health', fastify: '5.x' });
