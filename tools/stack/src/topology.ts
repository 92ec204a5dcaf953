// The scale topology on one machine (`pnpm dev --replicas N`): N copies of each service on
// loopback ports of their own, behind nginx on the stack's normal ports, sharing one PostgreSQL
// and (N > 1) one Redis for rate limits. Every URL a client, the web app or the README uses stays
// the same; only the processes behind it multiply.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env, StackConfig } from '@enginy/config/load';
import type { AppSpec } from './apps.ts';
import { balancerSpec, type Upstream } from './balancer.ts';
import { httpReady, type ProcessSpec } from './process-group.ts';
import { freePort, ipv6LoopbackAvailable } from './ports.ts';
import { redisSpec } from './redis.ts';

export const MAX_REPLICAS = 8;

/**
 * The hops whose X-Forwarded-For the replicas believe: the balancer (which connects to them from
 * 127.0.0.1) and, behind it, the stack's own proxies that reach the balancer over `localhost`
 * (the web app's proxy, the OpenAPI service's OAuth aliases), from 127.0.0.1 or ::1. Callers on
 * other loopback addresses (127.0.0.2 …, as the tests use) are callers, not proxies.
 */
export const BALANCER_ADDRESSES = '127.0.0.1,::1';

export interface Topology {
  replicas: number;
  /** Each replica's own base URL (bypassing the balancer), in order: openapi-1, openapi-2, … */
  openapi: string[];
  auth: string[];
  /** The shared rate-limit store, when there is more than one replica. */
  redisUrl: string | undefined;
  /** Removes the balancer's and the store's files (after the processes have stopped). */
  dispose(): void;
}

/** The processes of the topology, in three stages: the store; the replicas and the web app; the balancer. */
export async function scaleTopology(
  env: Env,
  config: StackConfig,
  specs: readonly AppSpec[],
  replicas: number,
): Promise<{ stages: ProcessSpec[][]; topology: Topology }> {
  const dir = mkdtempSync(join(tmpdir(), 'enginy-topology-'));
  // nginx started as root runs its workers as an unprivileged user: they must reach their temp dirs.
  chmodSync(dir, 0o755);
  const redisPort = replicas > 1 ? await freePort() : undefined;
  const redisUrl = redisPort === undefined ? undefined : `redis://127.0.0.1:${redisPort}`;
  // Read by the shared rate-limit store; ignored (not in the config schema) until it exists.
  const store: Env = redisUrl === undefined ? {} : { RATE_LIMIT_STORE: 'redis', REDIS_URL: redisUrl };
  const shared: Env = {
    ...env,
    ...store,
    HOST: '127.0.0.1',
    // The public URLs stay the balancer's, whatever port a replica listens on.
    OPENAPI_URL: config.openapi.url,
    OPENAPI_INTERNAL_URL: config.openapi.internalUrl,
    AUTH_ISSUER: config.auth.issuer,
    AUTH_INTERNAL_URL: config.auth.internalUrl,
  };
  const ports = {
    openapi: await Promise.all(Array.from({ length: replicas }, () => freePort())),
    auth: await Promise.all(Array.from({ length: replicas }, () => freePort())),
  };
  const overrides: Record<'openapi' | 'auth', (port: number) => Env> = {
    openapi: (port) => ({ OPENAPI_PORT: String(port), OPENAPI_TRUSTED_PROXIES: BALANCER_ADDRESSES }),
    auth: (port) => ({ AUTH_PORT: String(port), TRUSTED_PROXIES: BALANCER_ADDRESSES }),
  };

  const processes: ProcessSpec[] = [];
  const upstreams: Upstream[] = [];
  for (const spec of specs) {
    if (spec.name === 'web') {
      processes.push({ ...spec, env, ready: httpReady(spec.readyUrl) });
      continue;
    }
    const service = spec.name;
    ports[service].forEach((port, index) => {
      processes.push({
        ...spec,
        name: `${service}-${index + 1}`,
        env: { ...shared, ...overrides[service](port) },
        ready: httpReady(`http://127.0.0.1:${port}/readyz`),
      });
    });
    upstreams.push({ name: service, listenPort: config[service].port, replicaPorts: ports[service] });
  }
  const balancer = balancerSpec(dir, upstreams, await ipv6LoopbackAvailable());

  const urls = (service: 'openapi' | 'auth') =>
    specs.some((spec) => spec.name === service) ? ports[service].map((port) => `http://127.0.0.1:${port}`) : [];
  return {
    // The balancer last, once there is something behind it to balance.
    stages: [redisPort === undefined ? [] : [redisSpec(dir, redisPort)], processes, [balancer]].filter(
      (stage) => stage.length > 0,
    ),
    topology: {
      replicas,
      openapi: urls('openapi'),
      auth: urls('auth'),
      redisUrl,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    },
  };
}
