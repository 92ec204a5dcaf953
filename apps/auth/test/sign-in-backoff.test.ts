// Sign-in throttling through the web app's proxy: backoff per caller address and per account, not a
// lockout (NIST SP 800-63B §5.2.2), the caller's address believed only from trusted proxies, and
// password hashing bounded (argon2id holds 19 MiB per verification).
import { passwordHashingLoad } from '@enginy/security/passwords';
import { testConfig } from '@enginy/testing/config';
import { MEMBER } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { openSharedStore, type SharedStore } from '@enginy/service/shared-store';
import { type RedisServer, startRedisServer } from '@enginy/testing/redis-server';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { sharedSignInBackoff } from '../src/session/shared-sign-in-backoff.ts';
import {
  ADDRESS_RULE,
  createSignInBackoff,
  KNOWN_ADDRESS_MS,
  type SignInBackoff,
} from '../src/session/sign-in-backoff.ts';

let t: TestDatabase;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
const stores: SharedStore[] = [];
let redis: RedisServer | undefined;
const redisServer = async () => {
  redis ??= await startRedisServer();
  return redis;
};
const silentLog = Fastify({ logger: false }).log;
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(stores.map((store) => store.close()));
  await redis?.stop();
  await t.drop();
});

async function app(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const built = await buildApp(testConfig(t.url, env), { db: t.db });
  apps.push(built);
  return built;
}

/** A sign-in as the web app's proxy sends it: from loopback, the browser's address in X-Forwarded-For. */
function signIn(
  target: FastifyInstance,
  forwardedFor: string | undefined,
  password: string,
  email = MEMBER.email,
  remoteAddress = '127.0.0.1',
) {
  const config = testConfig(t.url);
  return target.inject({
    method: 'POST',
    url: '/session',
    remoteAddress,
    headers: { origin: config.web.url, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) },
    payload: { email, password },
  });
}

describe('sign-in backoff instead of lockout', () => {
  it("10 wrong guesses from one browser slow that browser; the member's right password from another browser behind the same proxy still signs in", async () => {
    const auth = await app();
    for (let i = 0; i < 10; i++) {
      const wrong = await signIn(auth, '127.0.0.9', `wrong-${i}`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error_description).toBe('Wrong email or password');
    }
    // The attacker's address now waits, even with the right password.
    const slowed = await signIn(auth, '127.0.0.9', MEMBER.password);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json()).toEqual({
      error: 'too_many_requests',
      error_description: 'Too many requests; try again in 1 s',
    });
    expect(slowed.headers['retry-after']).toBe('1');
    // The member's own browser, same proxy, another address.
    expect((await signIn(auth, '127.0.0.10', MEMBER.password)).statusCode).toBe(200);
  });

  it("an account guessed at from many addresses slows new addresses, not the member's own (where it last signed in)", async () => {
    const auth = await app();
    expect((await signIn(auth, '127.0.0.20', MEMBER.password)).statusCode).toBe(200);
    // 20 wrong guesses, each from another address: no address is slowed, the account is.
    for (let i = 0; i < 20; i++) expect((await signIn(auth, `127.0.1.${i + 1}`, `wrong-${i}`)).statusCode).toBe(401);
    const newAddress = await signIn(auth, '127.0.0.50', MEMBER.password);
    expect(newAddress.statusCode).toBe(429);
    expect(Number(newAddress.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await signIn(auth, '127.0.0.20', MEMBER.password)).statusCode).toBe(200);
    // Other accounts are not slowed by it.
    expect((await signIn(auth, '127.0.0.50', 'enginy-dev', 'dev@enginy.local')).statusCode).toBe(200);
  });

  it('X-Forwarded-For is believed from the configured proxies only: a client cannot pose as many addresses', async () => {
    const auth = await app({ TRUSTED_PROXIES: '127.0.0.1' });
    // 127.0.0.5 is not a trusted proxy: its X-Forwarded-For is ignored, so all of this is one address.
    for (let i = 0; i < 10; i++)
      expect(
        (await signIn(auth, `127.0.2.${i + 1}`, 'wrong', `nobody-${i}@enginy.local`, '127.0.0.5')).statusCode,
      ).toBe(401);
    expect((await signIn(auth, '127.0.2.99', MEMBER.password, MEMBER.email, '127.0.0.5')).statusCode).toBe(429);
    // Through the trusted proxy, a browser with another address is not slowed.
    expect((await signIn(auth, '127.0.0.6', MEMBER.password, MEMBER.email, '127.0.0.1')).statusCode).toBe(200);
  });
});

describe('bounded password hashing', () => {
  it('40 sign-ins at once: at most 2 hash while up to 16 wait, the excess get 503 with Retry-After, none a 500', async () => {
    const auth = await app();
    expect((await signIn(auth, '127.0.3.1', MEMBER.password)).statusCode).toBe(200); // warm: the dummy hash exists
    const peak = { active: 0, waiting: 0 };
    let sampling = true;
    const sample = () => {
      const load = passwordHashingLoad();
      peak.active = Math.max(peak.active, load.active);
      peak.waiting = Math.max(peak.waiting, load.waiting);
      if (sampling) setImmediate(sample);
    };
    sample();
    // 40 browsers, 40 accounts (unknown ones cost a verification too, against a dummy hash).
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(auth, `127.0.4.${i + 1}`, 'wrong-password', `burst-${i}@enginy.local`),
      ),
    );
    sampling = false;
    // Sampled between events: the bound holds at every sample (and the burst did fill both slots).
    expect(peak.active).toBe(2);
    expect(peak.waiting).toBeLessThanOrEqual(16);
    expect(
      answers
        .filter((answer) => answer.statusCode !== 401 && answer.statusCode !== 503)
        .map((answer) => [answer.statusCode, answer.body]),
    ).toEqual([]);
    const busy = answers.filter((answer) => answer.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'Too many sign-ins at once; try again in a moment',
    });
    expect(busy.every((answer) => answer.headers['retry-after'] === '1')).toBe(true);
    // Once the burst is over, sign-in works again.
    expect((await signIn(auth, '127.0.4.40', MEMBER.password)).statusCode).toBe(200);
  });
});

// The same rules, in this process and on Redis shared by the replicas (a real redis-server).
describe.each([
  ['in this process', async (now: () => number): Promise<SignInBackoff> => createSignInBackoff(now)],
  [
    'on Redis, shared by the replicas',
    async (now: () => number): Promise<SignInBackoff> => {
      const store = await openSharedStore(testConfig(t.url, { REDIS_URL: (await redisServer()).url }), {
        service: 'auth',
        db: t.db,
        log: silentLog,
      });
      stores.push(store);
      await store.redis?.flushall();
      // Its fallback would pass these tests too: it is made to throw, so only Redis can answer.
      const unreachable = () => {
        throw new Error('the fallback answered');
      };
      return sharedSignInBackoff(
        store.redis as NonNullable<SharedStore['redis']>,
        { admit: unreachable, succeeded: unreachable, withdraw: unreachable },
        silentLog,
        now,
      );
    },
  ],
])('sign-in backoff %s (a fake clock)', (_where, createBackoff) => {
  it('an address waits 1 s after 10 failures, then twice as long after each further one, up to 15 min; an hour without failures forgets them', async () => {
    let now = 0;
    const backoff = await createBackoff(() => now);
    for (let i = 0; i < 10; i++) expect(await backoff.admit('127.0.0.9', `a${i}`)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const wait = await backoff.admit('127.0.0.9', `b${i}`);
      waits.push(wait);
      now += wait;
      expect(await backoff.admit('127.0.0.9', `b${i}`)).toBe(0);
    }
    expect(waits.map((ms) => ms / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
    now += ADDRESS_RULE.forgetAfterMs + 1;
    expect(await backoff.admit('127.0.0.9', 'c')).toBe(0);
  });

  it('30 guesses at once from one address: exactly the 10 free ones are let in, each counted before the next is decided', async () => {
    const backoff = await createBackoff(() => 0);
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => backoff.admit('127.0.0.9', `g${i}`)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
    expect(waits.filter((wait) => wait === 1000)).toHaveLength(20);
  });

  it('a success is no failure, nor is a withdrawn attempt (server busy); an address that signed in is known to the account for 30 days', async () => {
    let now = 0;
    const backoff = await createBackoff(() => now);
    for (let i = 0; i < 30; i++) {
      expect(await backoff.admit('127.0.0.9', 'member')).toBe(0);
      await backoff.succeeded('127.0.0.9', 'member');
      expect(await backoff.admit('127.0.0.10', 'member')).toBe(0);
      await backoff.withdraw('127.0.0.10', 'member');
    }
    // 20 failures on the account from elsewhere: new addresses wait, the known one does not.
    for (let i = 0; i < 20; i++) expect(await backoff.admit(`127.0.1.${i}`, 'member')).toBe(0);
    expect(await backoff.admit('127.0.0.11', 'member')).toBe(1000);
    expect(await backoff.admit('127.0.0.9', 'member')).toBe(0);
    await backoff.withdraw('127.0.0.9', 'member');
    // Thirty days later the address is no longer known: a new attack on the account slows it too.
    now += KNOWN_ADDRESS_MS;
    for (let i = 0; i < 20; i++) expect(await backoff.admit(`127.0.2.${i}`, 'member')).toBe(0);
    expect(await backoff.admit('127.0.0.9', 'member')).toBe(1000);
  });
});
