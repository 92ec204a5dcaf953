// A few keys read and written as one atomic step, in this process or on the Redis every replica
// shares. It holds no rule: a caller's `change` decides what to write from what it read, so a rule
// such as the sign-in backoff is written once, in TypeScript, over either store.
import type { Redis } from 'ioredis';

/** What `change` does with one key: leave it, delete it, or set it for `ttlMs`. */
export type Write = undefined | null | { value: string; ttlMs: number };

export interface Change<T> {
  result: T;
  /** One per key, in the order of the keys (missing ones are left as they are). */
  writes?: readonly Write[];
}

export interface AtomicStore {
  /**
   * Reads `keys` (undefined: absent), runs `change` and applies its writes, as one step no other
   * writer comes between. `change` may run more than once (another writer came first), so it only
   * computes.
   */
  update<T>(keys: readonly string[], change: (values: (string | undefined)[]) => Change<T>): Promise<T>;
}

/**
 * In this process: one step because `change` is synchronous. Expiry follows `now`; memory is bounded,
 * past `maxKeys` the least recently written keys are dropped.
 */
export function memoryAtomicStore(now: () => number = Date.now, maxKeys = 60_000): AtomicStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const read = (key: string) => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key)?.value;
  };
  return {
    async update(keys, change) {
      const { result, writes = [] } = change(keys.map(read));
      keys.forEach((key, i) => {
        const write = writes[i];
        if (write === undefined) return;
        entries.delete(key);
        if (write === null) return;
        entries.set(key, { value: write.value, expiresAt: now() + write.ttlMs });
        if (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
      });
      return result;
    },
  };
}

// KEYS: the keys. ARGV, five per key: whether it was present ('1'/'0'), the value read, then the
// write: 'keep', 'del' or 'set', the value and the time to live in ms. Nothing is written unless
// every key still holds what was read (compare-and-set); answers 1 when written, else 0.
const COMPARE_AND_SET = `
for i = 1, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if ARGV[i * 5 - 4] == '1' then
    if current ~= ARGV[i * 5 - 3] then return 0 end
  elseif current then
    return 0
  end
end
for i = 1, #KEYS do
  local op = ARGV[i * 5 - 2]
  if op == 'set' then
    redis.call('SET', KEYS[i], ARGV[i * 5 - 1], 'PX', ARGV[i * 5])
  elseif op == 'del' then
    redis.call('DEL', KEYS[i])
  end
end
return 1
`;

/** Read, decide, compare-and-set: attempts before giving up on a key that keeps changing. */
const ATTEMPTS = 20;

/**
 * On Redis, shared by every replica: read, decide, then compare-and-set, and again from the read when
 * a key changed meanwhile. This process's own updates of a key take turns, so only other replicas can
 * come between a read and its write (a burst on one key costs no storm of retries), and updates of
 * other keys never wait for them.
 */
export function redisAtomicStore(redis: Redis): AtomicStore {
  const once = async <T>(keys: readonly string[], change: (values: (string | undefined)[]) => Change<T>) => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const values = (await redis.mget(...keys)).map((value) => value ?? undefined);
      const { result, writes = [] } = change(values);
      if (keys.every((_key, i) => writes[i] === undefined)) return result;
      const args = keys.flatMap((_key, i) => [values[i] === undefined ? '0' : '1', values[i] ?? '', ...op(writes[i])]);
      if (Number(await redis.eval(COMPARE_AND_SET, keys.length, ...keys, ...args)) === 1) return result;
      // Another replica wrote first: wait a random moment, growing, so that neither keeps losing to the other.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 6)));
    }
    throw new Error(`atomic store: ${keys.join(', ')} kept changing; gave up after ${ATTEMPTS} attempts`);
  };
  // The last update of this process on each key: an update starts once those of its keys are done.
  const tails = new Map<string, Promise<unknown>>();
  return {
    update(keys, change) {
      const mine = Promise.all(keys.map((key) => tails.get(key))).then(() => once(keys, change));
      const done = mine.catch(() => undefined);
      for (const key of keys) tails.set(key, done);
      void done.then(() => {
        for (const key of keys) if (tails.get(key) === done) tails.delete(key);
      });
      return mine;
    },
  };
}

function op(write: Write): [string, string, string] {
  if (write === undefined) return ['keep', '', '0'];
  if (write === null) return ['del', '', '0'];
  return ['set', write.value, String(Math.max(1, Math.ceil(write.ttlMs)))];
}
