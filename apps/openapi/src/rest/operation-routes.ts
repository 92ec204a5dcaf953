import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { principalOf } from '../auth/gate.ts';
import { WithHeaders } from '../operations/operation.ts';
import type { CompiledOperation, InputValidators } from '../validation/input-validators.ts';
import { routeSchema } from './route-schema.ts';

/** `/v1/contacts/{contactId}` (OpenAPI) as Fastify writes it, `/v1/contacts/:contactId`. */
export const fastifyPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * The REST adapter: one Fastify route per operation of the registry. The gate (auth/gate.ts) checks
 * the route's `config.scope` on the request, Fastify validates with the operation's compiled schemas,
 * then the operation's rate limit is counted and its handler runs with the caller's principal.
 */
const operationRoutes: FastifyPluginAsync<{ operations: readonly CompiledOperation[] }> = async (
  app,
  { operations },
) => {
  for (const { operation, validators } of operations) {
    app.route({
      method: operation.method,
      url: fastifyPath(operation.path),
      schema: routeSchema(operation),
      config: { scope: operation.scope },
      validatorCompiler: ({ httpPart }) => validators[httpPart as keyof InputValidators] as never,
      // After validation, as the limit has always been counted: a request refused as invalid costs nothing.
      preHandler: async (request, reply) => {
        const count = await app.countCall(principalOf(request), operation);
        reply.header('x-ratelimit-limit', count.limit);
        reply.header('x-ratelimit-remaining', count.remaining);
        reply.header('x-ratelimit-reset', count.resetSeconds);
        if (count.exceeded === undefined) return;
        // RFC 9110 §10.2.3: Retry-After in seconds.
        reply.header('retry-after', count.resetSeconds);
        throw count.exceeded;
      },
      handler: async (request, reply) => {
        const { params, query, body } = request;
        const result = await operation.handler(principalOf(request), { params, query, body } as never);
        reply.code(operation.status ?? 200);
        if (!(result instanceof WithHeaders)) return result;
        reply.headers(result.headers);
        return result.body;
      },
    });
  }
};

export default fp(operationRoutes, {
  name: 'operation-routes',
  fastify: '5.x',
  dependencies: ['auth-gate', 'rate-limit'],
});
