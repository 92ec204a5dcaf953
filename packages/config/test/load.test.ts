import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.ts';
import { loadConfig, redactUrl } from '../src/load.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented local addresses by default', () => {
    const config = loadConfig({});
    expect(config.openapi.url).toBe('http://localhost:3001');
    expect(config.openapi.mcpUrl).toBe('http://localhost:3001/mcp');
    expect(config.auth.issuer).toBe('http://localhost:3002');
    expect(config.web.url).toBe('http://localhost:5173');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.seed).toEqual({ adminEmail: 'dev@enginy.local', adminPassword: 'enginy-dev' });
  });

  it('derives URLs from overridden ports', () => {
    const config = loadConfig({ OPENAPI_PORT: '4001', AUTH_PORT: '4002', WEB_PORT: '4173' });
    expect(config.openapi.mcpUrl).toBe('http://localhost:4001/mcp');
    expect(config.auth.issuer).toBe('http://localhost:4002');
    expect(config.web.url).toBe('http://localhost:4173');
  });

  it('treats a blank DATABASE_URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must look like postgres://'],
    [{ DATABASE_URL: 'mysql://u:p@h/db' }, 'DATABASE_URL must look like postgres://'],
    [{ OPENAPI_PORT: 'eighty' }, 'OPENAPI_PORT must be a port number'],
    [{ AUTH_PORT: '70000' }, 'AUTH_PORT must be between 1 and 65535'],
    [{ AUTH_ISSUER: 'http://localhost:3002/' }, 'AUTH_ISSUER must be an absolute http(s) URL'],
    [{ OPENAPI_PORT: '3002' }, 'OPENAPI_PORT and AUTH_PORT must differ'],
    [{ NODE_ENV: 'production' }, 'TOKEN_HASH_KEY must be set in production'],
  ])('names the variable at fault for %j', (env, message) => {
    expect(configError(env).message).toContain(message);
  });

  it('never echoes a database password', () => {
    const error = configError({ DATABASE_URL: 'postgres://user:s3cret@db' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('s3cret');
  });

  it.each([
    [
      'development',
      {},
      { cacheSeconds: 600, staleSeconds: 30 * 24 * 3600, bundledDocuments: true, unverifiedLoopback: true },
    ],
    [
      'test',
      { NODE_ENV: 'test' },
      { cacheSeconds: 600, staleSeconds: 30 * 24 * 3600, bundledDocuments: true, unverifiedLoopback: true },
    ],
    [
      'production',
      { NODE_ENV: 'production', TOKEN_HASH_KEY: 'k'.repeat(32) },
      { cacheSeconds: 600, staleSeconds: 24 * 3600, bundledDocuments: false, unverifiedLoopback: false },
    ],
    [
      'development, switched off',
      { CIMD_BUNDLED_DOCUMENTS: 'false', CIMD_UNVERIFIED_LOOPBACK: 'false', CIMD_STALE_SECONDS: '0' },
      { cacheSeconds: 600, staleSeconds: 0, bundledDocuments: false, unverifiedLoopback: false },
    ],
    [
      'production, configured',
      { NODE_ENV: 'production', TOKEN_HASH_KEY: 'k'.repeat(32), CIMD_BUNDLED_DOCUMENTS: 'true' },
      { cacheSeconds: 600, staleSeconds: 24 * 3600, bundledDocuments: true, unverifiedLoopback: false },
    ],
  ])('client metadata documents offline: %s', (_case, env, expected) => {
    expect(loadConfig(env).cimd).toEqual({ ...expected, fetchTimeoutSeconds: 5 });
  });

  it("gives today's lifetimes and limits by default", () => {
    const config = loadConfig({});
    expect(config.oauth).toMatchObject({
      codeTtlSeconds: 60,
      pendingRequestTtlSeconds: 600,
      authorizeRateLimitPerMinute: 120,
      registerRateLimitPerMinute: 60,
    });
    expect(config.session).toEqual({ ttlSeconds: 12 * 3600 });
    expect(config.cimd.cacheSeconds).toBe(600);
    expect(config.cimd.fetchTimeoutSeconds).toBe(5);
    expect(config.audit).toEqual({ retentionDays: 90 });
    expect(config.oauth).toMatchObject({
      refreshRetryGraceSeconds: 10,
      unusedClientsPerAddress: 100,
      unusedClientTtlHours: 24,
    });
  });

  it('reads each lifetime and limit from its variable', () => {
    const config = loadConfig({
      AUTHORIZATION_CODE_TTL_SECONDS: '30',
      AUTHORIZATION_REQUEST_TTL_SECONDS: '900',
      AUTHORIZE_RATE_LIMIT_PER_MINUTE: '240',
      REGISTER_RATE_LIMIT_PER_MINUTE: '10',
      SESSION_TTL_SECONDS: '3600',
      CIMD_CACHE_SECONDS: '0',
      CIMD_FETCH_TIMEOUT_SECONDS: '12',
      AUDIT_RETENTION_DAYS: '365',
      REFRESH_RETRY_GRACE_SECONDS: '0',
      UNUSED_CLIENTS_PER_ADDRESS: '5',
      UNUSED_CLIENT_TTL_HOURS: '2',
    });
    expect(config.oauth).toMatchObject({
      codeTtlSeconds: 30,
      pendingRequestTtlSeconds: 900,
      authorizeRateLimitPerMinute: 240,
      registerRateLimitPerMinute: 10,
      refreshRetryGraceSeconds: 0,
      unusedClientsPerAddress: 5,
      unusedClientTtlHours: 2,
    });
    expect(config.session.ttlSeconds).toBe(3600);
    expect(config.cimd.cacheSeconds).toBe(0);
    expect(config.cimd.fetchTimeoutSeconds).toBe(12);
    expect(config.audit.retentionDays).toBe(365);
  });

  it.each([
    [{ AUTHORIZATION_CODE_TTL_SECONDS: '601' }, 'AUTHORIZATION_CODE_TTL_SECONDS must be at most 600'],
    [{ AUTHORIZATION_CODE_TTL_SECONDS: '0' }, 'AUTHORIZATION_CODE_TTL_SECONDS must be at least 1'],
    [{ AUTHORIZATION_REQUEST_TTL_SECONDS: '10' }, 'AUTHORIZATION_REQUEST_TTL_SECONDS must be at least 60'],
    [{ AUTHORIZE_RATE_LIMIT_PER_MINUTE: '0' }, 'AUTHORIZE_RATE_LIMIT_PER_MINUTE must be at least 1'],
    [{ REGISTER_RATE_LIMIT_PER_MINUTE: 'many' }, 'REGISTER_RATE_LIMIT_PER_MINUTE must be a whole number'],
    [{ SESSION_TTL_SECONDS: '1.5' }, 'SESSION_TTL_SECONDS must be a whole number'],
    [{ CIMD_CACHE_SECONDS: '-1' }, 'CIMD_CACHE_SECONDS must be at least 0'],
    [{ CIMD_FETCH_TIMEOUT_SECONDS: '31' }, 'CIMD_FETCH_TIMEOUT_SECONDS must be at most 30'],
    [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS must be at least 1'],
    [{ REFRESH_RETRY_GRACE_SECONDS: '61' }, 'REFRESH_RETRY_GRACE_SECONDS must be at most 60'],
    [{ UNUSED_CLIENTS_PER_ADDRESS: '0' }, 'UNUSED_CLIENTS_PER_ADDRESS must be at least 1'],
    [{ UNUSED_CLIENT_TTL_HOURS: 'a day' }, 'UNUSED_CLIENT_TTL_HOURS must be a whole number'],
  ])('names a bad lifetime or limit: %j', (env, message) => {
    expect(configError(env).message).toContain(message);
  });

  it('names a bad CIMD switch', () => {
    expect(configError({ CIMD_UNVERIFIED_LOOPBACK: 'yes' }).message).toContain(
      'CIMD_UNVERIFIED_LOOPBACK must be true or false',
    );
  });

  it.each([
    ['unset: loopback only', {}, ['127.0.0.0/8', '::1']],
    [
      "the compose network's proxies",
      { TRUSTED_PROXIES: '127.0.0.0/8, ::1, 10.213.55.11,10.213.55.13' },
      ['127.0.0.0/8', '::1', '10.213.55.11', '10.213.55.13'],
    ],
    ['none: no X-Forwarded-For is believed', { TRUSTED_PROXIES: 'none' }, []],
  ])('trusted proxies (whose X-Forwarded-For the auth service believes): %s', (_case, env, expected) => {
    expect(loadConfig(env).trustedProxies).toEqual(expected);
  });

  it.each([
    ['unset: none, its callers reach it directly', {}, []],
    ['a load balancer on loopback', { OPENAPI_TRUSTED_PROXIES: '127.0.0.1,::1' }, ['127.0.0.1', '::1']],
  ])('trusted proxies of the OpenAPI service (a load balancer in front of it): %s', (_case, env, expected) => {
    expect(loadConfig(env).openapi.trustedProxies).toEqual(expected);
  });

  it('refuses OPENAPI_TRUSTED_PROXIES=* (trusting everyone would let any client choose its address)', () => {
    expect(configError({ OPENAPI_TRUSTED_PROXIES: '*' }).message).toContain(
      'OPENAPI_TRUSTED_PROXIES must be "none" or IP addresses and CIDR ranges',
    );
  });

  it.each(['*', 'true', 'localhost', '127.0.0.1/33', '::1/129', '10.0.0.0/8/1', '127.0.0.1,'])(
    'refuses TRUSTED_PROXIES=%s (only addresses and CIDR ranges; trusting everyone would let any client choose its address)',
    (value) => {
      expect(configError({ TRUSTED_PROXIES: value }).message).toContain(
        'TRUSTED_PROXIES must be "none" or IP addresses and CIDR ranges',
      );
    },
  );

  it.each([
    ['unset: in this process, as a single `pnpm dev` has always had it', {}, { store: 'memory', redisUrl: undefined }],
    [
      'REDIS_URL alone: Redis, shared by every replica',
      { REDIS_URL: 'redis://127.0.0.1:6390' },
      { store: 'redis', redisUrl: 'redis://127.0.0.1:6390' },
    ],
    [
      'memory named explicitly wins over REDIS_URL',
      { RATE_LIMIT_STORE: 'memory', REDIS_URL: 'redis://127.0.0.1:6390' },
      { store: 'memory', redisUrl: 'redis://127.0.0.1:6390' },
    ],
    ['postgres: the stack database', { RATE_LIMIT_STORE: 'postgres' }, { store: 'postgres', redisUrl: undefined }],
  ])('rate-limit store: %s', (_case, env, expected) => {
    expect(loadConfig(env).rateLimits).toEqual(expected);
  });

  it.each([
    [{ RATE_LIMIT_STORE: 'redis' }, 'RATE_LIMIT_STORE=redis needs REDIS_URL'],
    [{ RATE_LIMIT_STORE: 'valkey' }, 'RATE_LIMIT_STORE must be memory, redis or postgres'],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL must look like redis://'],
  ])('names a bad rate-limit store setting: %j', (env, message) => {
    expect(configError(env).message).toContain(message);
  });

  it('never echoes a Redis password', () => {
    const error = configError({ REDIS_URL: 'redis://:s3cret@', RATE_LIMIT_STORE: 'redis' });
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).not.toContain('s3cret');
  });

  it('redacts passwords from URLs', () => {
    expect(redactUrl('postgres://enginy:hunter2@localhost:5432/enginy')).toBe(
      'postgres://enginy:***@localhost:5432/enginy',
    );
  });
});
