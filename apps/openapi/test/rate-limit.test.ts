import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('per-key, per-operation rate limits', () => {
  it('answers 429 with Retry-After and X-RateLimit-* past the documented limit (60/min for sender identities)', async () => {
    const key = await h.key(['IDENTITIES_READ', 'OWNERS_READ']);
    const first = await h.call('GET', '/v1/sender-identities', { key });
    expect(first.headers['x-ratelimit-limit']).toBe('60');
    expect(first.headers['x-ratelimit-remaining']).toBe('59');
    for (let i = 1; i < 60; i++) expect((await h.call('GET', '/v1/sender-identities', { key })).statusCode).toBe(200);

    const limited = await h.call('GET', '/v1/sender-identities', { key });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ status: 'error', code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(0);

    // Another operation with the same key, and the same operation with another key, still pass.
    expect((await h.call('GET', '/v1/tasks/owners', { key })).statusCode).toBe(200);
    expect((await h.call('GET', '/v1/sender-identities', { key: await h.key(['IDENTITIES_READ']) })).statusCode).toBe(
      200,
    );
  });
});
