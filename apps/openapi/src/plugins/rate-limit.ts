import type { SharedStore } from '@enginy/service/shared-store';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Principal, principalId } from '../auth/principal.ts';
import { type ApiError, apiError } from '../errors.ts';

/** One operation's limit, as the REST route and the MCP tool of the same operation share it. */
export interface LimitedOperation {
  method: string;
  /** The operation's path template: with the caller, it names the bucket. */
  path: string;
  perMinute: number;
}

/** A call counted against its bucket: the X-RateLimit-* values, and the 429 to answer past the limit. */
export interface CallCount {
  limit: number;
  remaining: number;
  resetSeconds: number;
  exceeded?: ApiError;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts one call of `operation` by `principal`, on the counters every replica shares. */
    countCall(principal: Principal, operation: LimitedOperation): Promise<CallCount>;
  }
}

// What the store is asked with: the bucket and its limit (the plugin reads `routeOptions` too).
interface Ask {
  routeOptions: Record<string, never>;
  bucket: string;
  max: number;
}

const WINDOW_MS = 60_000;

/**
 * Per-credential, per-operation limits: each operation allows `perMinute` calls a minute, and the
 * bucket is the caller (API key or token user) plus the operation, so one noisy key cannot use up
 * another's allowance, and a REST call and an MCP tool call of one operation count alike. Counted on
 * the shared store when one is configured, so the limit holds across every replica.
 */
const limits: FastifyPluginAsync<{ store: SharedStore['rateLimit'] }> = async (app, { store }) => {
  await app.register(rateLimit, {
    ...store,
    global: false,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => (request as unknown as Ask).bucket,
    max: (request) => (request as unknown as Ask).max,
  });
  const count = app.createRateLimit();
  app.decorate('countCall', async (principal: Principal, operation: LimitedOperation): Promise<CallCount> => {
    const ask: Ask = {
      routeOptions: {},
      bucket: `${principalId(principal)}|${operation.method}:${operation.path}`,
      max: operation.perMinute,
    };
    const counted = await count(ask as unknown as FastifyRequest);
    if (counted.isAllowed) return { limit: operation.perMinute, remaining: operation.perMinute, resetSeconds: 0 };
    const { max, remaining, ttlInSeconds } = counted;
    if (!counted.isExceeded) return { limit: max, remaining, resetSeconds: ttlInSeconds };
    return {
      limit: max,
      remaining: 0,
      resetSeconds: ttlInSeconds,
      exceeded: apiError(
        'rate_limited',
        `Rate limit exceeded: ${max} requests per minute for this operation. Retry in ${retryIn(ttlInSeconds)}.`,
      ),
    };
  });
};

export default fp(limits, { name: 'rate-limit', fastify: '5.x', dependencies: ['auth-gate'] });

/** `1 minute`, `59 seconds`, `0 ms`: the wait in words, as @fastify/rate-limit has always said it (@lukeed/ms). */
export function retryIn(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 1000) return `${ms} ms`;
  const [value, unit] = ms < 60_000 ? [ms / 1000, 'second'] : [ms / 60_000, 'minute'];
  const rounded = Math.trunc(value) === value ? value : Math.trunc(value + 0.5);
  return `${rounded} ${unit}${rounded !== 1 ? 's' : ''}`;
}
