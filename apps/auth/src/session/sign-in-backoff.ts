/**
 * Sign-in throttling without lockout. Failures are counted per caller address and per account; past
 * a few free failures each key must wait, twice as long after every further failure. NIST SP
 * 800-63B §5.2.2 lists ways "to reduce the likelihood that an attacker will lock the legitimate
 * claimant out as a result of rate limiting", among them "requiring the claimant to wait following
 * a failed attempt for a period of time that increases as the account approaches its maximum
 * allowance for successive failed attempts", and accepting requests from addresses the subscriber
 * has successfully authenticated from before. So an account under attack slows new addresses only:
 * its member's own address (a recent successful sign-in) still gets in, while the attacker's
 * address, failing on every account it tries, waits longer and longer.
 */
import { type AtomicStore, memoryAtomicStore, type Write } from '@enginy/service/atomic-store';

export interface BackoffRule {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten once the last one is this old. */
  forgetAfterMs: number;
}

export const ADDRESS_RULE: BackoffRule = {
  freeFailures: 10,
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};
// NIST's example is "30 seconds up to an hour"; an account's known addresses are never slowed by it.
export const ACCOUNT_RULE: BackoffRule = {
  freeFailures: 20,
  firstDelayMs: 1000,
  maxDelayMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
};
/** How long a successful sign-in makes its address known for that account. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;

/** A key's failures: how many, and when the last one was. */
interface Failures {
  count: number;
  lastAt: number;
}

const parse = (value: string | undefined): Failures | undefined =>
  value === undefined ? undefined : (JSON.parse(value) as Failures);

/** The failures still remembered at `now`: forgotten once the last is `forgetAfterMs` old. */
function current(value: string | undefined, rule: BackoffRule, now: number): Failures | undefined {
  const entry = parse(value);
  return entry !== undefined && now - entry.lastAt <= rule.forgetAfterMs ? entry : undefined;
}

/** Milliseconds until the key may try again (0: now): twice as long after each failure past the free ones. */
function waitMs(value: string | undefined, rule: BackoffRule, now: number): number {
  const entry = current(value, rule, now);
  if (entry === undefined || entry.count < rule.freeFailures) return 0;
  const delay = Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** (entry.count - rule.freeFailures));
  return Math.max(0, Math.ceil(entry.lastAt + delay - now));
}

/** One more failure (1) or one less (-1); stored until it would be forgotten. */
function counted(value: string | undefined, rule: BackoffRule, now: number, by: 1 | -1): Write {
  const entry = current(value, rule, now) ?? { count: 0, lastAt: now };
  const count = Math.max(0, entry.count + by);
  if (count === 0) return null;
  const lastAt = by === 1 ? now : entry.lastAt;
  return { value: JSON.stringify({ count, lastAt }), ttlMs: lastAt + rule.forgetAfterMs - now + 1 };
}

/** The backoff as the sign-in route uses it, over this process's store or the one the replicas share. */
export interface SignInBackoff {
  /**
   * 0 when `address` may try `account` now, and the attempt is counted as a failure at once (so
   * parallel guesses cannot all slip in before the first one fails); else the milliseconds to wait.
   */
  admit(address: string, account: string): Promise<number>;
  /** The admitted attempt succeeded: it was no failure, and the address is now known for the account. */
  succeeded(address: string, account: string): Promise<void>;
  /** The admitted attempt never ran (the server was busy): it was no failure. */
  withdraw(address: string, account: string): Promise<void>;
}

export type BackoffRules = { address: BackoffRule; account: BackoffRule };

/** The store's keys for one attempt: the address's failures, the account's, and whether the address is known to it. */
const keysOf = (address: string, account: string) => [
  `enginy:auth:sign-in-backoff:address:${address}`,
  `enginy:auth:sign-in-backoff:account:${account}`,
  `enginy:auth:sign-in-backoff:known:${account}\n${address}`,
];

/** The rules above over `store`: each decision is one atomic step of the store, on every replica that shares it. */
export function signInBackoff(
  store: AtomicStore,
  now: () => number = Date.now,
  rules: BackoffRules = { address: ADDRESS_RULE, account: ACCOUNT_RULE },
): SignInBackoff {
  const uncount = (address: string, account: string, known: Write) =>
    store.update(keysOf(address, account), ([byAddress, byAccount]) => {
      const at = now();
      return {
        result: undefined,
        writes: [counted(byAddress, rules.address, at, -1), counted(byAccount, rules.account, at, -1), known],
      };
    });
  return {
    admit: (address, account) =>
      store.update(keysOf(address, account), ([byAddress, byAccount, knownSince]) => {
        const at = now();
        const known = knownSince !== undefined && at - Number(knownSince) < KNOWN_ADDRESS_MS;
        const wait = Math.max(waitMs(byAddress, rules.address, at), known ? 0 : waitMs(byAccount, rules.account, at));
        if (wait > 0) return { result: wait };
        return {
          result: 0,
          writes: [counted(byAddress, rules.address, at, 1), counted(byAccount, rules.account, at, 1)],
        };
      }),
    succeeded: (address, account) => uncount(address, account, { value: String(now()), ttlMs: KNOWN_ADDRESS_MS }),
    withdraw: (address, account) => uncount(address, account, undefined),
  };
}

/** This process's own backoff, in memory. */
export function createSignInBackoff(
  now: () => number = Date.now,
  rules: BackoffRules = { address: ADDRESS_RULE, account: ACCOUNT_RULE },
): SignInBackoff {
  return signInBackoff(memoryAtomicStore(now), now, rules);
}
