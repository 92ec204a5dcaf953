import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DEFAULT_PORTS } from '@enginy/config/defaults';
import { parse } from 'yaml';

/** The services docker-compose.yml must define, with the ports the README documents. */
export const COMPOSE_SERVICES = {
  postgres: undefined,
  setup: undefined,
  openapi: DEFAULT_PORTS.openapi,
  auth: DEFAULT_PORTS.auth,
  web: DEFAULT_PORTS.web,
} as const;

interface ComposeService {
  image?: string;
  profiles?: string[];
  build?: unknown;
  ports?: string[];
  healthcheck?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
}

/** The services whose X-Forwarded-For the auth service believes: they must have fixed addresses. */
const PROXIES = ['openapi', 'web'] as const;
const LOOPBACK = new Set(['127.0.0.0/8', '::1']);

/** What is wrong with a compose document beyond its syntax: services, ports, health, configuration. */
export function composeProblems(text: string): string[] {
  const doc = parseCompose(text) as {
    services?: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  } | null;
  const services = doc?.services ?? {};
  const problems: string[] = [];
  // The default profile: what `docker compose up` starts (compose-scale.ts checks the scale profile).
  const names = Object.keys(services)
    .filter((name) => (services[name]?.profiles ?? []).length === 0)
    .sort();
  const expected = Object.keys(COMPOSE_SERVICES).sort();
  if (names.join() !== expected.join())
    problems.push(`services are [${names.join(', ')}], expected [${expected.join(', ')}]`);

  const postgres = services.postgres;
  if (!postgres?.image?.startsWith('postgres:')) problems.push('postgres must use the official postgres image');
  if (postgres?.healthcheck === undefined) problems.push('postgres needs a healthcheck');
  const volume = postgres?.volumes?.[0]?.split(':')[0];
  if (volume === undefined || doc?.volumes?.[volume] === undefined)
    problems.push('postgres must keep its data in a named volume');

  for (const [name, port] of Object.entries(COMPOSE_SERVICES)) {
    if (port === undefined) continue;
    const service = services[name];
    if (!service?.ports?.includes(`${port}:${port}`)) problems.push(`${name} must publish port ${port}:${port}`);
    if (!String(service?.environment?.DATABASE_URL ?? '').startsWith('postgres://'))
      problems.push(`${name} must get DATABASE_URL from its environment`);
  }

  // A default would ship one key to everyone and pass the production check: compose must refuse to start
  // without one. Every service built from this repository runs its code; the official images do not.
  const unkeyed = Object.keys(services).filter(
    (name) =>
      services[name]?.build !== undefined &&
      !/^\$\{TOKEN_HASH_KEY:\?[^}]+\}$/.test(String(services[name]?.environment?.TOKEN_HASH_KEY ?? '')),
  );
  if (unkeyed.length > 0)
    problems.push(`${unkeyed.join(', ')} must require TOKEN_HASH_KEY (\${TOKEN_HASH_KEY:?message}), never default it`);

  // The auth service trusts X-Forwarded-For from the stack's proxies only: their fixed addresses, and
  // never a range, which would take in the gateway that published ports are reached through.
  const proxyAddresses = PROXIES.map((name) => {
    const networks = services[name]?.networks;
    const address = Array.isArray(networks) ? undefined : networks?.default?.ipv4_address;
    if (address === undefined)
      problems.push(`${name} needs a fixed ipv4_address on the default network (auth trusts its X-Forwarded-For)`);
    return address;
  });
  const trusted = String(services.auth?.environment?.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !LOOPBACK.has(entry));
  if (
    trusted.sort().join() !==
    proxyAddresses
      .filter((a) => a !== undefined)
      .sort()
      .join()
  ) {
    problems.push(
      `auth's TRUSTED_PROXIES must be loopback and exactly the ${PROXIES.join(' and ')} services' addresses (got ${trusted.join(', ') || 'none'})`,
    );
  }
  return problems;
}

/**
 * The environment a validation runs with: the user's, and a stand-in TOKEN_HASH_KEY when it is unset
 * (the file requires one, and `config` would refuse without it). Never used to run anything.
 */
export function validationEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, TOKEN_HASH_KEY: env.TOKEN_HASH_KEY || 'stand-in-for-validation-only-'.padEnd(32, 'x') };
}

/**
 * Runs a real Compose validator over the file: `docker compose config -q`, else `docker-compose config -q`,
 * with the given profiles active (`--profile scale`).
 */
export function validateWithCompose(
  file: string,
  env: NodeJS.ProcessEnv = validationEnv(),
  profiles: readonly string[] = [],
): { validator: string; error?: string } | undefined {
  const profileArgs = profiles.flatMap((profile) => ['--profile', profile]);
  for (const [cmd, args] of [
    ['docker', ['compose', '-f', file, ...profileArgs, 'config', '-q']],
    ['docker-compose', ['-f', file, ...profileArgs, 'config', '-q']],
  ] as const) {
    // The docker CLI may be present without its compose plugin: ask it first.
    const probe = spawnSync(cmd, cmd === 'docker' ? ['compose', 'version'] : ['version'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) continue;
    const result = spawnSync(cmd, [...args], { encoding: 'utf8', env });
    const validator = `${cmd} ${args.join(' ')}`;
    return result.status === 0 ? { validator } : { validator, error: result.stderr.trim() };
  }
  return undefined;
}

/** The document as Compose reads it: YAML merge keys (`<<: *app-env`) applied. */
export function parseCompose(text: string): unknown {
  return parse(text, { merge: true });
}

export function readCompose(file: string): string {
  return readFileSync(file, 'utf8');
}
