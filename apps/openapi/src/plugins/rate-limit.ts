import type { SharedStore } from '@enginy/service/shared-store';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { principalId } from '../auth/principal.ts';
import { apiError } from '../errors.ts';

/**
 * Per-credential, per-operation limits: each operation sets `config.rateLimit.max` per minute, and
 * the bucket is the caller (API key or token user) plus the route, so one noisy key cannot use up
 * another's allowance. It runs after the gate (preHandler), when the principal is known; 429s carry
 * `Retry-After` (RFC 9110 §10.2.3, seconds) and the X-RateLimit-Limit/Remaining/Reset headers.
 * Counted on the shared store when one is configured, so the limit holds across every replica.
 */
const limits: FastifyPluginAsync<{ store: SharedStore['rateLimit'] }> = async (app, { store }) => {
  await app.register(rateLimit, {
    ...store,
    global: false,
    hook: 'preHandler',
    keyGenerator: (request) =>
      `${request.principal ? principalId(request.principal) : `ip:${request.ip}`}|${request.routeOptions.method}:${request.routeOptions.url}`,
    errorResponseBuilder: (_request, context) =>
      apiError(
        'rate_limited',
        `Rate limit exceeded: ${context.max} requests per minute for this operation. Retry in ${context.after}.`,
      ),
  });
};

export default fp(limits, { name: 'rate-limit', fastify: '5.x', dependencies: ['auth-gate'] });
