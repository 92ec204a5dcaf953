import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeProblems, readCompose, validateWithCompose, validationEnv } from '../src/compose.ts';
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
      'setup, openapi, auth, web must require TOKEN_HASH_KEY (${TOKEN_HASH_KEY:?message}), never default it';
    const defaulted = readCompose(file).replace(/\$\{TOKEN_HASH_KEY:\?[^}]*\}/, defaultedKey);
    expect(composeProblems(defaulted)).toContain(problem);
  });

  it("trusts X-Forwarded-For from the openapi and web services' fixed addresses only, never a range that takes in the gateway", () => {
    const services = (
      parse(readCompose(file)) as {
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
