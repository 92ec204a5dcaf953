import { hash, verify } from '@node-rs/argon2';
import { createSlots, SlotsBusy } from './slots.ts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `Algorithm.Argon2id` is an ambient
// const enum, which isolated modules cannot read; its value is 2.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Each hash holds 19 MiB and a core for tens of milliseconds on libuv's shared pool (which file and
 * DNS work need too): 40 sign-ins at once all ran at once. Two run, sixteen wait their turn (well
 * under a second), and beyond that the caller is told to come back (503 + Retry-After).
 */
export const PASSWORD_HASHING = { concurrency: 2, maxWaiting: 16 } as const;
const slots = createSlots(PASSWORD_HASHING.concurrency, PASSWORD_HASHING.maxWaiting);

/** More password hashes are running and waiting than allowed; retry after `retryAfterSeconds`. */
export { SlotsBusy as PasswordHashingBusy };

export function hashPassword(password: string): Promise<string> {
  return slots.run(() => hash(password, OPTIONS));
}

/**
 * False for a wrong password and for a malformed stored hash alike; throws only PasswordHashingBusy
 * (too many sign-ins at once), which the caller answers with 503 + Retry-After.
 */
export function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return slots.run(async () => {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  });
}

/** How many hashes are running and waiting now (tests, diagnostics). */
export function passwordHashingLoad(): { active: number; waiting: number } {
  return { active: slots.active, waiting: slots.waiting };
}
