import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PASSWORD_HASHING,
  PasswordHashingBusy,
  passwordHashingLoad,
  verifyPassword,
} from '../src/passwords.ts';
import { createSlots, SlotsBusy } from '../src/slots.ts';
import { hashSecret, newSecret, openWithSecret, safeEqual, sealWithSecret } from '../src/tokens.ts';

describe('passwords', () => {
  it('stores argon2id hashes that verify only the right password', async () => {
    const stored = await hashPassword('enginy-dev');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'enginy-dev')).toBe(true);
    expect(await verifyPassword(stored, 'enginy-dev ')).toBe(false);
  });

  it('treats a malformed stored hash as a wrong password', async () => {
    expect(await verifyPassword('not-a-hash', 'enginy-dev')).toBe(false);
  });

  it('40 verifications at once: two run (19 MiB each), sixteen wait, the rest are refused with PasswordHashingBusy at once', async () => {
    const stored = await hashPassword('enginy-dev');
    const all = Array.from({ length: 40 }, () => verifyPassword(stored, 'enginy-dev'));
    expect(passwordHashingLoad()).toEqual({
      active: PASSWORD_HASHING.concurrency,
      waiting: PASSWORD_HASHING.maxWaiting,
    });
    const settled = await Promise.allSettled(all);
    const verified = settled.filter((s) => s.status === 'fulfilled' && s.value === true).length;
    const refused = settled.filter((s) => s.status === 'rejected' && s.reason instanceof PasswordHashingBusy);
    expect(verified).toBe(2 + 16);
    expect(refused).toHaveLength(40 - 18);
    expect(passwordHashingLoad()).toEqual({ active: 0, waiting: 0 });
    // Once the burst is over, a verification runs again.
    expect(await verifyPassword(stored, 'enginy-dev')).toBe(true);
  });
});

describe('slots (a semaphore with a bounded wait list)', () => {
  function deferred() {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('runs at most `concurrency` tasks, starts waiters first come first served, refuses past the wait list, and frees a slot when a task fails', async () => {
    const slots = createSlots(2, 2);
    const tasks = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = tasks.map((task, i) =>
      slots.run(async () => {
        started.push(i);
        await task.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect({ active: slots.active, waiting: slots.waiting }).toEqual({ active: 2, waiting: 2 });
    await expect(runs[4]).rejects.toBeInstanceOf(SlotsBusy);
    tasks[1]?.reject(new Error('boom'));
    await expect(runs[1]).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
    tasks[0]?.resolve();
    tasks[2]?.resolve();
    tasks[3]?.resolve();
    expect(await Promise.all([runs[0], runs[2], runs[3]])).toEqual([0, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect({ active: slots.active, waiting: slots.waiting }).toEqual({ active: 0, waiting: 0 });
  });
});

describe('secrets', () => {
  it('makes distinct prefixed secrets', () => {
    const a = newSecret('gsk_');
    expect(a).toMatch(/^gsk_[A-Za-z0-9_-]{43}$/);
    expect(newSecret('gsk_')).not.toBe(a);
  });

  it('hashes with the key, so another key gives another hash', () => {
    expect(hashSecret('k'.repeat(32), 'token')).toBe(hashSecret('k'.repeat(32), 'token'));
    expect(hashSecret('k'.repeat(32), 'token')).not.toBe(hashSecret('j'.repeat(32), 'token'));
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('seals so that only the same secret opens, and a changed byte is refused', () => {
    const secret = newSecret('ert_');
    const sealed = sealWithSecret(secret, '{"refresh_token":"ert_next"}');
    expect(sealed.toString('utf8')).not.toContain('ert_next');
    expect(sealWithSecret(secret, 'same')).not.toEqual(sealWithSecret(secret, 'same')); // a fresh nonce each time
    expect(openWithSecret(secret, sealed)).toBe('{"refresh_token":"ert_next"}');
    expect(openWithSecret(newSecret('ert_'), sealed)).toBeUndefined();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(openWithSecret(secret, tampered)).toBeUndefined();
    expect(openWithSecret(secret, Buffer.alloc(5))).toBeUndefined();
  });
});
