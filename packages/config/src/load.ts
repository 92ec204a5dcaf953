import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_HOST, DEFAULT_PORTS, DEFAULT_SEED_ADMIN } from './defaults.ts';
import { ConfigError } from './errors.ts';

export interface StackConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** Interface the Fastify apps bind to; `localhost` binds both 127.0.0.1 and ::1. */
  bindHost: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logPretty: boolean;
  /** Unset: the dev stack starts an embedded PostgreSQL and fills this in for the apps. */
  databaseUrl: string | undefined;
  embeddedPostgres: { port: number; dataDir: string };
  /** `url`/`issuer` are what browsers and MCP clients use; `internalUrl` is how the services and the
   * web app's proxy reach each other (the same on a laptop, a service name in docker compose). */
  openapi: {
    port: number;
    url: string;
    mcpUrl: string;
    internalUrl: string;
    /**
     * Addresses whose X-Forwarded-For the OpenAPI service believes: a load balancer in front of it
     * (`pnpm dev --replicas`). None unless configured: its callers reach it directly.
     */
    trustedProxies: string[];
  };
  auth: { port: number; issuer: string; internalUrl: string };
  web: { port: number; url: string };
  seed: { adminEmail: string; adminPassword: string };
  /** Key for the keyed hashes that tokens, codes and API keys are stored as. */
  tokenHashKey: string;
  /**
   * Addresses and CIDR ranges whose X-Forwarded-For the auth service believes: the stack's own
   * proxies (the OpenAPI service's OAuth aliases, the web app's proxy). Loopback unless configured.
   */
  trustedProxies: string[];
  /** The authorization server's token lifetimes and limits. */
  oauth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** How long an authorization code may wait for its `/token` exchange. */
    codeTtlSeconds: number;
    /** How long a pending `/authorize` request waits for sign-in and consent. */
    pendingRequestTtlSeconds: number;
    tokenRateLimitPerMinute: number;
    /** `/authorize` requests per minute per client address (each stores a pending request). */
    authorizeRateLimitPerMinute: number;
    /** `/register` requests per minute per client address. */
    registerRateLimitPerMinute: number;
    /**
     * How long after a refresh-token rotation an identical retry (its answer lost) gets the same
     * answer instead of counting as reuse; 0 turns the grace off (RFC 9700 §4.14.2).
     */
    refreshRetryGraceSeconds: number;
    /** How many dynamic clients that never completed a grant one address may hold (RFC 7591 §3). */
    unusedClientsPerAddress: number;
    /** How long a dynamic client that never completed a grant is kept after its registration. */
    unusedClientTtlHours: number;
    cimdAllowHttpLocalhost: boolean;
  };
  /** The web app's sign-in session: its lifetime, in the database and as the cookie's Max-Age. */
  session: { ttlSeconds: number };
  /** How long the audit of authorization attempts and admin changes, and the console's flows, are kept. */
  audit: { retentionDays: number };
  /**
   * Client ID metadata documents when the live document cannot be had (its host is unreachable):
   * a cached copy up to `staleSeconds` old, then a bundled copy of a well-known client's public
   * document, then (development) an unverified client restricted to loopback redirect URIs. A copy
   * younger than `cacheSeconds` is used without fetching the document again.
   */
  cimd: {
    cacheSeconds: number;
    staleSeconds: number;
    bundledDocuments: boolean;
    unverifiedLoopback: boolean;
    /** How long one fetch of a client metadata document may take before its host counts as unreachable. */
    fetchTimeoutSeconds: number;
  };
  /**
   * Where rate-limit counters (and the sign-in backoff) live. `memory`: in this process, so N
   * replicas allow N times each limit (fine for one process, the default). `redis`: a Valkey/Redis
   * server every replica shares (`redisUrl`). `postgres`: an UNLOGGED table in the stack's database.
   */
  rateLimits: { store: RateLimitStore; redisUrl: string | undefined };
}

export type RateLimitStore = 'memory' | 'redis' | 'postgres';

export type Env = Record<string, string | undefined>;

// Found by walking up to pnpm-workspace.yaml: this module also runs bundled into an app's dist/.
const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const DEV_TOKEN_HASH_KEY = 'enginy-local-development-only-token-hash-key';
const LOOPBACK = ['127.0.0.0/8', '::1'];

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be between 1 and 65535`)
    .max(65535, `${name} must be between 1 and 65535`);

/** A whole number of seconds (or requests) from `min` to `max`, named in every message. */
const wholeNumber = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const httpUrl = (name: string) =>
  z.string().refine(isHttpUrl, `${name} must be an absolute http(s) URL without a trailing slash`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default(DEFAULT_HOST),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_PRETTY: z.enum(['true', 'false']).optional(),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, 'DATABASE_URL must look like postgres://user:password@host:5432/database')
    .optional(),
  EMBEDDED_PG_PORT: port('EMBEDDED_PG_PORT').default(DEFAULT_PORTS.embeddedPostgres),
  EMBEDDED_PG_DATA_DIR: z.string().min(1).optional(),
  OPENAPI_PORT: port('OPENAPI_PORT').default(DEFAULT_PORTS.openapi),
  OPENAPI_URL: httpUrl('OPENAPI_URL').optional(),
  AUTH_PORT: port('AUTH_PORT').default(DEFAULT_PORTS.auth),
  AUTH_ISSUER: httpUrl('AUTH_ISSUER').optional(),
  AUTH_INTERNAL_URL: httpUrl('AUTH_INTERNAL_URL').optional(),
  OPENAPI_INTERNAL_URL: httpUrl('OPENAPI_INTERNAL_URL').optional(),
  WEB_PORT: port('WEB_PORT').default(DEFAULT_PORTS.web),
  WEB_URL: httpUrl('WEB_URL').optional(),
  SEED_ADMIN_EMAIL: z.email('SEED_ADMIN_EMAIL must be an email address').default(DEFAULT_SEED_ADMIN.email),
  SEED_ADMIN_PASSWORD: z
    .string()
    .min(8, 'SEED_ADMIN_PASSWORD must have at least 8 characters')
    .default(DEFAULT_SEED_ADMIN.password),
  TOKEN_HASH_KEY: z.string().min(32, 'TOKEN_HASH_KEY must have at least 32 characters').optional(),
  TRUSTED_PROXIES: z
    .string()
    .refine(
      isProxyList,
      'TRUSTED_PROXIES must be "none" or IP addresses and CIDR ranges separated by commas (e.g. 127.0.0.0/8,::1)',
    )
    .optional(),
  OPENAPI_TRUSTED_PROXIES: z
    .string()
    .refine(
      isProxyList,
      'OPENAPI_TRUSTED_PROXIES must be "none" or IP addresses and CIDR ranges separated by commas (e.g. 127.0.0.1,::1)',
    )
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60, 'ACCESS_TOKEN_TTL_SECONDS must be at least 60')
    .default(3600),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300, 'REFRESH_TOKEN_TTL_SECONDS must be at least 300')
    .default(30 * 24 * 3600),
  TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1, 'TOKEN_RATE_LIMIT_PER_MINUTE must be at least 1')
    .default(600),
  // RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED"; a minute is plenty.
  AUTHORIZATION_CODE_TTL_SECONDS: wholeNumber('AUTHORIZATION_CODE_TTL_SECONDS', 1, 600).default(60),
  AUTHORIZATION_REQUEST_TTL_SECONDS: wholeNumber('AUTHORIZATION_REQUEST_TTL_SECONDS', 60).default(600),
  AUTHORIZE_RATE_LIMIT_PER_MINUTE: wholeNumber('AUTHORIZE_RATE_LIMIT_PER_MINUTE', 1).default(120),
  REGISTER_RATE_LIMIT_PER_MINUTE: wholeNumber('REGISTER_RATE_LIMIT_PER_MINUTE', 1).default(60),
  // Claude Code retried a lost refresh answer after 0.5 s; a crashed auth service restarts in about 2 s.
  REFRESH_RETRY_GRACE_SECONDS: wholeNumber('REFRESH_RETRY_GRACE_SECONDS', 0, 60).default(10),
  UNUSED_CLIENTS_PER_ADDRESS: wholeNumber('UNUSED_CLIENTS_PER_ADDRESS', 1).default(100),
  UNUSED_CLIENT_TTL_HOURS: wholeNumber('UNUSED_CLIENT_TTL_HOURS', 1).default(24),
  SESSION_TTL_SECONDS: wholeNumber('SESSION_TTL_SECONDS', 60).default(12 * 3600),
  CIMD_CACHE_SECONDS: wholeNumber('CIMD_CACHE_SECONDS', 0).default(600),
  CIMD_FETCH_TIMEOUT_SECONDS: wholeNumber('CIMD_FETCH_TIMEOUT_SECONDS', 1, 30).default(5),
  AUDIT_RETENTION_DAYS: wholeNumber('AUDIT_RETENTION_DAYS', 1).default(90),
  CIMD_ALLOW_HTTP_LOCALHOST: z.enum(['true', 'false']).default('false'),
  CIMD_STALE_SECONDS: z.coerce
    .number()
    .int('CIMD_STALE_SECONDS must be a whole number')
    .min(0, 'CIMD_STALE_SECONDS must be 0 or more')
    .optional(),
  CIMD_BUNDLED_DOCUMENTS: z
    .enum(['true', 'false'], { error: 'CIMD_BUNDLED_DOCUMENTS must be true or false' })
    .optional(),
  CIMD_UNVERIFIED_LOOPBACK: z
    .enum(['true', 'false'], { error: 'CIMD_UNVERIFIED_LOOPBACK must be true or false' })
    .optional(),
  RATE_LIMIT_STORE: z
    .enum(['memory', 'redis', 'postgres'], { error: 'RATE_LIMIT_STORE must be memory, redis or postgres' })
    .optional(),
  REDIS_URL: z
    .string()
    .refine(isRedisUrl, 'REDIS_URL must look like redis://[:password@]host:6379[/db] (or rediss://)')
    .optional(),
});

/** Every environment variable the stack reads (the README's table lists each). */
export const ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads the stack's configuration from an environment. Blank values count as unset, so
 * `DATABASE_URL=` in a shell means "use the embedded database".
 */
export function loadConfig(env: Env): StackConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, present)));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.TOKEN_HASH_KEY === undefined) {
    throw new ConfigError(['TOKEN_HASH_KEY must be set in production (32 characters or more)']);
  }
  const ports = [
    ['OPENAPI_PORT', e.OPENAPI_PORT],
    ['AUTH_PORT', e.AUTH_PORT],
    ['WEB_PORT', e.WEB_PORT],
  ] as const;
  const clashes = ports.filter(([name, value]) => ports.some(([other, v]) => other !== name && v === value));
  if (clashes.length > 0) {
    throw new ConfigError([`${clashes.map(([name]) => name).join(' and ')} must differ (both are ${clashes[0]?.[1]})`]);
  }

  // REDIS_URL alone picks the shared store; naming a store that needs what is missing is an error.
  const rateLimitStore = e.RATE_LIMIT_STORE ?? (e.REDIS_URL === undefined ? 'memory' : 'redis');
  if (rateLimitStore === 'redis' && e.REDIS_URL === undefined) {
    throw new ConfigError(['RATE_LIMIT_STORE=redis needs REDIS_URL (e.g. redis://localhost:6379)']);
  }

  const production = e.NODE_ENV === 'production';
  const openapiUrl = e.OPENAPI_URL ?? `http://localhost:${e.OPENAPI_PORT}`;
  const authIssuer = e.AUTH_ISSUER ?? `http://localhost:${e.AUTH_PORT}`;
  return {
    nodeEnv: e.NODE_ENV,
    bindHost: e.HOST,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'warn' : 'info'),
    logPretty: e.LOG_PRETTY === undefined ? e.NODE_ENV === 'development' : e.LOG_PRETTY === 'true',
    databaseUrl: e.DATABASE_URL,
    embeddedPostgres: {
      port: e.EMBEDDED_PG_PORT,
      dataDir: e.EMBEDDED_PG_DATA_DIR ?? `${REPO_ROOT}.data/postgres`,
    },
    openapi: {
      port: e.OPENAPI_PORT,
      url: openapiUrl,
      mcpUrl: `${openapiUrl}/mcp`,
      internalUrl: e.OPENAPI_INTERNAL_URL ?? openapiUrl,
      trustedProxies: e.OPENAPI_TRUSTED_PROXIES === undefined ? [] : proxyList(e.OPENAPI_TRUSTED_PROXIES),
    },
    auth: { port: e.AUTH_PORT, issuer: authIssuer, internalUrl: e.AUTH_INTERNAL_URL ?? authIssuer },
    web: { port: e.WEB_PORT, url: e.WEB_URL ?? `http://localhost:${e.WEB_PORT}` },
    seed: { adminEmail: e.SEED_ADMIN_EMAIL, adminPassword: e.SEED_ADMIN_PASSWORD },
    tokenHashKey: e.TOKEN_HASH_KEY ?? DEV_TOKEN_HASH_KEY,
    trustedProxies: e.TRUSTED_PROXIES === undefined ? LOOPBACK : proxyList(e.TRUSTED_PROXIES),
    oauth: {
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      codeTtlSeconds: e.AUTHORIZATION_CODE_TTL_SECONDS,
      pendingRequestTtlSeconds: e.AUTHORIZATION_REQUEST_TTL_SECONDS,
      tokenRateLimitPerMinute: e.TOKEN_RATE_LIMIT_PER_MINUTE,
      authorizeRateLimitPerMinute: e.AUTHORIZE_RATE_LIMIT_PER_MINUTE,
      registerRateLimitPerMinute: e.REGISTER_RATE_LIMIT_PER_MINUTE,
      refreshRetryGraceSeconds: e.REFRESH_RETRY_GRACE_SECONDS,
      unusedClientsPerAddress: e.UNUSED_CLIENTS_PER_ADDRESS,
      unusedClientTtlHours: e.UNUSED_CLIENT_TTL_HOURS,
      // Off by default: only a local test serves client metadata documents over http://localhost.
      cimdAllowHttpLocalhost: e.CIMD_ALLOW_HTTP_LOCALHOST === 'true',
    },
    session: { ttlSeconds: e.SESSION_TTL_SECONDS },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    // A development stack must not depend on reaching claude.ai or chatgpt.com; production is
    // strict (a day of stale cache at most, no bundled copies, no unverified clients) unless configured.
    cimd: {
      cacheSeconds: e.CIMD_CACHE_SECONDS,
      fetchTimeoutSeconds: e.CIMD_FETCH_TIMEOUT_SECONDS,
      staleSeconds: e.CIMD_STALE_SECONDS ?? (production ? 24 * 3600 : 30 * 24 * 3600),
      bundledDocuments: e.CIMD_BUNDLED_DOCUMENTS === undefined ? !production : e.CIMD_BUNDLED_DOCUMENTS === 'true',
      unverifiedLoopback:
        e.CIMD_UNVERIFIED_LOOPBACK === undefined ? !production : e.CIMD_UNVERIFIED_LOOPBACK === 'true',
    },
    rateLimits: { store: rateLimitStore, redisUrl: e.REDIS_URL },
  };
}

/** The same URL with any password replaced, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describeIssue(issue: z.core.$ZodIssue, env: Env): string {
  const name = String(issue.path[0] ?? 'environment');
  const raw = env[name];
  // Never echo secrets back; a URL is shown with its password masked.
  const shown =
    raw === undefined || /PASSWORD|KEY|SECRET/.test(name)
      ? ''
      : ` (got "${name === 'DATABASE_URL' || name === 'REDIS_URL' ? redactUrl(raw) : raw}")`;
  const message = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
  return `${message}${shown}`;
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
    );
  } catch {
    return false;
  }
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function proxyList(value: string): string[] {
  return value.trim() === 'none' ? [] : value.split(',').map((entry) => entry.trim());
}

/** `none`, or addresses and CIDR ranges (`10.0.0.5`, `10.0.0.0/24`, `::1`, `fd00::/8`). */
function isProxyList(value: string): boolean {
  return proxyList(value).every((entry) => {
    const [address = '', bits, extra] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !value.endsWith('/') &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return `${dir}/`;
    if (dirname(dir) === dir) return `${start}/`;
  }
}
