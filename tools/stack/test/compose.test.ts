import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeProblems, parseCompose, readCompose, validateWithCompose, validationEnv } from '../src/compose.ts';
import { NGINX_COMPOSE_CONF, SCALE_PROFILE, scaleProblems } from '../src/compose-scale.ts';
import { REPO_ROOT } from '../src/processes.ts';

const file = join(REPO_ROOT, 'docker-compose.yml');

describe('docker-compose.yml', () => {
  it('defines the documented services, ports, health checks and volume', () => {
    expect(composeProblems(readCompose(file))).toEqual([]);
  });

  it('passes a real Compose validator', () => {
    const result = validateWithCompose(file);
    if (result === undefined && !process.env.CI) return; // a laptop without Compose: CI always has it
    expect(result?.error).toBeUndefined();
  });

  it('ships no TOKEN_HASH_KEY: Compose refuses to start without one, naming it, and the check catches a default', () => {
    const { TOKEN_HASH_KEY: _unset, ...withoutKey } = process.env;
    const result = validateWithCompose(file, withoutKey);
    if (result === undefined && !process.env.CI) return; // a laptop without Compose: CI always has it
    expect(result?.error).toMatch(/TOKEN_HASH_KEY.*random secret/);
    // The validation that `pnpm compose:check` runs supplies a stand-in instead.
    expect(validateWithCompose(file, validationEnv(withoutKey))?.error).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's interpolation, not JavaScript's
    const defaultedKey = '${TOKEN_HASH_KEY:-compose-local-only-token-hash-key-change-me}';
    const problem =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's interpolation, not JavaScript's
      'setup, openapi, auth, web, openapi-replica, auth-replica, web-replica must require TOKEN_HASH_KEY (${TOKEN_HASH_KEY:?message}), never default it';
    const defaulted = readCompose(file).replace(/\$\{TOKEN_HASH_KEY:\?[^}]*\}/, defaultedKey);
    expect(composeProblems(defaulted)).toContain(problem);
  });

  it("trusts X-Forwarded-For from the openapi and web services' fixed addresses only, never a range that takes in the gateway", () => {
    const services = (
      parseCompose(readCompose(file)) as {
        services: Record<
          string,
          { environment: Record<string, string>; networks?: { default: { ipv4_address: string } } }
        >;
      }
    ).services;
    const proxies = [services.openapi?.networks?.default.ipv4_address, services.web?.networks?.default.ipv4_address];
    expect(proxies.every((address) => address !== undefined && isIPv4(address))).toBe(true);
    expect(services.auth?.environment.TRUSTED_PROXIES?.split(',')).toEqual(['127.0.0.0/8', '::1', ...proxies]);
    const widened = readCompose(file).replace(/TRUSTED_PROXIES: .*/, 'TRUSTED_PROXIES: 127.0.0.0/8,::1,10.213.55.0/24');
    expect(composeProblems(widened)).toContain(
      "auth's TRUSTED_PROXIES must be loopback and exactly the openapi and web services' addresses (got 10.213.55.0/24)",
    );
  });

  it('would catch a drifted port or a missing service', () => {
    const drifted = readCompose(file)
      .replace('"3001:3001"', '"3999:3001"')
      .replace(/\n {2}web:[\s\S]*?(?=\nvolumes:)/, '\n');
    const problems = composeProblems(drifted);
    expect(problems).toContain('openapi must publish port 3001:3001');
    expect(problems.some((problem) => problem.startsWith('services are'))).toBe(true);
  });
});

describe('docker-compose.yml, scale profile', () => {
  const nginxConf = readFileSync(join(REPO_ROOT, NGINX_COMPOSE_CONF), 'utf8');
  const check = (compose: string, nginx = nginxConf) => scaleProblems(compose, () => nginx);

  it('passes a real Compose validator with --profile scale', () => {
    const result = validateWithCompose(file, validationEnv(), [SCALE_PROFILE]);
    if (result === undefined && !process.env.CI) return; // a laptop without Compose: CI always has it
    expect(result?.error).toBeUndefined();
  });

  it('runs two replicas of each service behind nginx, with valkey for the limits, beside the default stack', () => {
    expect(scaleProblems(readCompose(file))).toEqual([]);
    const services = (parseCompose(readCompose(file)) as { services: Record<string, { profiles?: string[] }> })
      .services;
    const defaults = Object.keys(services).filter((name) => services[name]?.profiles === undefined);
    expect(defaults).toEqual(['postgres', 'setup', 'openapi', 'auth', 'web']);
  });

  it('would catch a single replica, a lost store, a default service moved into the profile', () => {
    const compose = readCompose(file);
    expect(check(compose.replace('replicas: 2', 'replicas: 1'))).toContain(
      'openapi-replica must run deploy.replicas: 2 or more',
    );
    expect(check(compose.replace('RATE_LIMIT_STORE: redis', 'RATE_LIMIT_STORE: memory'))).toContain(
      'auth-replica must keep its rate limits in valkey (RATE_LIMIT_STORE=redis, REDIS_URL=redis://valkey:6379)',
    );
    expect(check(compose.replace('  auth:\n', '  auth:\n    profiles: [scale]\n'))).toContain(
      'auth belongs to the default profile and takes no profiles',
    );
  });

  it('would catch an upstream that misses the replicas or a port lb does not publish', () => {
    const compose = readCompose(file);
    expect(check(compose, nginxConf.replace('server auth-replica:3002', 'server auth:3002'))).toContain(
      `${NGINX_COMPOSE_CONF} must pass port 3102 to an upstream of auth-replica:3002 (got auth:3002)`,
    );
    expect(check(compose, nginxConf.replace('proxy_pass http://auth;', 'proxy_pass http://openapi;'))).toContain(
      `${NGINX_COMPOSE_CONF} must pass port 3102 to an upstream of auth-replica:3002 (got openapi-replica:3001)`,
    );
    expect(check(compose.replace('"3101:3101"', '"3999:3101"'))).toContain(
      'lb must publish port 3101:3101 for openapi',
    );
  });

  it('trusts X-Forwarded-For from the balancer only, and the balancer never believes the gateway', () => {
    const compose = readCompose(file);
    const widened = compose.replace(
      'TRUSTED_PROXIES: 127.0.0.0/8,::1,10.213.55.14',
      'TRUSTED_PROXIES: 127.0.0.0/8,::1,10.213.55.0/24',
    );
    expect(check(widened)).toContain(
      "openapi-replica's TRUSTED_PROXIES must be loopback and exactly lb's address (got 10.213.55.0/24)",
    );
    const openapiUntrusting = compose.replace('OPENAPI_TRUSTED_PROXIES: 127.0.0.0/8,::1,10.213.55.14', '');
    expect(check(openapiUntrusting)).toContain(
      "openapi-replica's OPENAPI_TRUSTED_PROXIES must be loopback and exactly lb's address (got none)",
    );
    const gatewayTrusted = nginxConf.replace(/\n\s*10\.213\.55\.1 0;/, '');
    expect(check(compose, gatewayTrusted)).toContain(
      `${NGINX_COMPOSE_CONF} must pass on X-Forwarded-For from the compose subnet (10.213.55.0/24) but never from its gateway (10.213.55.1)`,
    );
  });
});
