import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS } from '@enginy/config/defaults';
import { parseCompose } from './compose.ts';
import { REPO_ROOT } from './processes.ts';

/**
 * docker-compose.yml's scale profile (`docker compose --profile scale up`): each service's replicas,
 * the balancer in front of them and the shared rate-limit store. The service that runs `name`'s
 * replicas is `<name>-replica`.
 */
export const SCALE_PROFILE = 'scale';
export const SCALE_SERVICES = ['valkey', 'openapi-replica', 'auth-replica', 'lb', 'web-replica'] as const;
const REPLICATED = ['openapi', 'auth'] as const;
const LOOPBACK = new Set(['127.0.0.0/8', '::1']);

/** The nginx configuration the balancer mounts, as the compose file names it. */
export const NGINX_COMPOSE_CONF = 'deploy/nginx/compose.conf';

interface ScaleService {
  image?: string;
  build?: { target?: string } | string;
  profiles?: string[];
  ports?: string[];
  healthcheck?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  deploy?: { replicas?: number };
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
}

interface ComposeDoc {
  services?: Record<string, ScaleService>;
  networks?: { default?: { ipam?: { config?: { subnet?: string }[] } } };
}

/** What is wrong with the scale profile: its services, replicas, store, balancer and whom it trusts. */
export function scaleProblems(text: string, readNginx: (path: string) => string = readRepoFile): string[] {
  const doc = parseCompose(text) as ComposeDoc | null;
  const services = doc?.services ?? {};
  const problems: string[] = [];

  // The default profile stays the single-copy stack: only the scale services carry a profile.
  for (const [name, service] of Object.entries(services)) {
    const inScale = (SCALE_SERVICES as readonly string[]).includes(name);
    const profiles = service.profiles ?? [];
    if (inScale && profiles.join() !== SCALE_PROFILE) problems.push(`${name} must be in the scale profile only`);
    if (!inScale && profiles.length > 0) problems.push(`${name} belongs to the default profile and takes no profiles`);
  }
  const missing = SCALE_SERVICES.filter((name) => services[name] === undefined);
  if (missing.length > 0) problems.push(`the scale profile lacks ${missing.join(', ')}`);

  const valkey = services.valkey;
  if (!/^(valkey\/valkey|redis):/.test(valkey?.image ?? ''))
    problems.push('valkey must use the official valkey/valkey (or redis) image');
  if (valkey?.healthcheck === undefined) problems.push('valkey needs a healthcheck');

  const lb = services.lb;
  const lbAddress = fixedAddress(lb);
  if (!lb?.image?.startsWith('nginx:')) problems.push('lb must use the official nginx image');
  if (lbAddress === undefined) problems.push('lb needs a fixed ipv4_address (the replicas trust its X-Forwarded-For)');
  const mounted = lb?.volumes?.some((volume) => volume.startsWith(`./${NGINX_COMPOSE_CONF}:/etc/nginx/nginx.conf`));
  if (!mounted) problems.push(`lb must mount ./${NGINX_COMPOSE_CONF} as /etc/nginx/nginx.conf`);
  const nginx = parseNginx(readNginx(NGINX_COMPOSE_CONF));

  for (const name of REPLICATED) {
    const replica = services[`${name}-replica`];
    if (replica === undefined) continue;
    const env = replica.environment ?? {};
    const target = typeof replica.build === 'object' ? replica.build.target : undefined;
    if (target !== name) problems.push(`${name}-replica must run the production image (build target ${name})`);
    if ((replica.deploy?.replicas ?? 1) < 2) problems.push(`${name}-replica must run deploy.replicas: 2 or more`);
    if (replica.ports !== undefined) problems.push(`${name}-replica must publish no port: it is reached through lb`);
    if (replica.healthcheck === undefined) problems.push(`${name}-replica needs a healthcheck (lb waits on it)`);
    if (!String(env.DATABASE_URL ?? '').startsWith('postgres://'))
      problems.push(`${name}-replica must get DATABASE_URL from its environment`);
    if (env.RATE_LIMIT_STORE !== 'redis' || env.REDIS_URL !== 'redis://valkey:6379')
      problems.push(
        `${name}-replica must keep its rate limits in valkey (RATE_LIMIT_STORE=redis, REDIS_URL=redis://valkey:6379)`,
      );

    // Trusted: loopback and the balancer, which sets X-Forwarded-For itself. Never a range. The
    // openapi replicas read their own variable (OPENAPI_TRUSTED_PROXIES) for the callers they forward.
    const variables = name === 'openapi' ? ['TRUSTED_PROXIES', 'OPENAPI_TRUSTED_PROXIES'] : ['TRUSTED_PROXIES'];
    for (const variable of variables) {
      const trusted = String(env[variable] ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '' && !LOOPBACK.has(entry));
      if (lbAddress === undefined || trusted.join() !== lbAddress)
        problems.push(
          `${name}-replica's ${variable} must be loopback and exactly lb's address (got ${trusted.join(', ') || 'none'})`,
        );
    }

    // The public URL's port is lb's: published, listened on, and passed to exactly these replicas.
    const publicUrl = name === 'openapi' ? env.OPENAPI_URL : env.AUTH_ISSUER;
    const internalUrl = name === 'openapi' ? env.OPENAPI_INTERNAL_URL : env.AUTH_INTERNAL_URL;
    const port = publicUrl === undefined ? undefined : new URL(publicUrl).port;
    if (port === undefined || port === '' || port === String(DEFAULT_PORTS[name]))
      problems.push(
        `${name}-replica needs a public URL of its own (the single-copy ${name} keeps ${DEFAULT_PORTS[name]})`,
      );
    else {
      if (!lb?.ports?.includes(`${port}:${port}`)) problems.push(`lb must publish port ${port}:${port} for ${name}`);
      if (internalUrl !== `http://lb:${port}`)
        problems.push(`${name}-replica must be reached from inside through the balancer (http://lb:${port})`);
      const upstream = nginx.servers.get(port);
      const members = upstream === undefined ? undefined : nginx.upstreams.get(upstream);
      if (members?.join() !== `${name}-replica:${DEFAULT_PORTS[name]}`)
        problems.push(
          `${NGINX_COMPOSE_CONF} must pass port ${port} to an upstream of ${name}-replica:${DEFAULT_PORTS[name]} (got ${members?.join(', ') ?? 'none'})`,
        );
    }
  }

  // nginx believes X-Forwarded-For from the stack's containers only: the subnet, minus its gateway.
  const subnet = doc?.networks?.default?.ipam?.config?.[0]?.subnet;
  const gateway = subnet?.replace(/\.0\/24$/, '.1');
  if (subnet === undefined || nginx.geo.get(subnet) !== '1' || gateway === undefined || nginx.geo.get(gateway) !== '0')
    problems.push(
      `${NGINX_COMPOSE_CONF} must pass on X-Forwarded-For from the compose subnet (${subnet}) but never from its gateway (${gateway})`,
    );
  if (nginx.geo.get('default') !== '0') problems.push(`${NGINX_COMPOSE_CONF} must trust no other address`);
  return problems;
}

interface NginxConf {
  /** Listen port → the upstream it proxies to. */
  servers: Map<string, string>;
  /** Upstream → its `server` entries (host:port). */
  upstreams: Map<string, string[]>;
  /** The `geo` block deciding whose X-Forwarded-For is passed on: address or range → value. */
  geo: Map<string, string>;
}

/** The parts of an nginx config the checks read: enough for the file this repository ships. */
export function parseNginx(text: string): NginxConf {
  const code = text.replace(/#.*$/gm, '');
  const upstreams = new Map<string, string[]>();
  for (const [, name, body] of code.matchAll(/upstream\s+([\w-]+)\s*\{([^}]*)\}/g))
    upstreams.set(
      name ?? '',
      [...(body ?? '').matchAll(/^\s*server\s+(\S+)/gm)].map((match) => match[1] ?? ''),
    );
  const servers = new Map<string, string>();
  for (const [, body] of code.matchAll(/server\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g)) {
    const port = /listen\s+(?:[\d.]+:)?(\d+)/.exec(body ?? '')?.[1];
    const upstream = /proxy_pass\s+http:\/\/([\w-]+)/.exec(body ?? '')?.[1];
    if (port !== undefined && upstream !== undefined) servers.set(port, upstream);
  }
  const geo = new Map<string, string>();
  const geoBody = /geo\s+\$\w+\s*\{([^}]*)\}/.exec(code)?.[1] ?? '';
  for (const [, key, value] of geoBody.matchAll(/^\s*(\S+)\s+(\S+);/gm)) geo.set(key ?? '', value ?? '');
  return { servers, upstreams, geo };
}

function fixedAddress(service: ScaleService | undefined): string | undefined {
  const networks = service?.networks;
  return Array.isArray(networks) ? undefined : (networks?.default?.ipv4_address ?? undefined);
}

function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}
