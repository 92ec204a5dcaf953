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
/** Memory is bounded: past this many keys, the least recently touched are dropped. */
const MAX_KEYS = 20_000;

interface Failures {
  count: number;
  lastAt: number;
}

/** A map that forgets its least recently touched entries past MAX_KEYS. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > MAX_KEYS) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

class FailureCounter {
  private readonly failures = new Recent<Failures>();
  constructor(private readonly rule: BackoffRule) {}

  /** Milliseconds until the key may try again (0: now). */
  waitMs(key: string, now: number): number {
    const entry = this.current(key, now);
    if (entry === undefined || entry.count < this.rule.freeFailures) return 0;
    const delay = Math.min(this.rule.maxDelayMs, this.rule.firstDelayMs * 2 ** (entry.count - this.rule.freeFailures));
    return Math.max(0, entry.lastAt + delay - now);
  }

  add(key: string, now: number, by: 1 | -1): void {
    const entry = this.current(key, now) ?? { count: 0, lastAt: now };
    const count = Math.max(0, entry.count + by);
    if (count === 0) this.failures.delete(key);
    else this.failures.set(key, { count, lastAt: by === 1 ? now : entry.lastAt });
  }

  private current(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry !== undefined && now - entry.lastAt > this.rule.forgetAfterMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** The backoff as the sign-in route uses it: this process's own (below) or the replicas' shared one. */
export interface SignInBackoff {
  admit(address: string, account: string): number | Promise<number>;
  succeeded(address: string, account: string): void | Promise<void>;
  withdraw(address: string, account: string): void | Promise<void>;
}

/** This process's own backoff: every answer at once, from memory. */
export interface LocalSignInBackoff extends SignInBackoff {
  /**
   * 0 when `address` may try `account` now, and the attempt is counted as a failure at once (so
   * parallel guesses cannot all slip in before the first one fails); else the milliseconds to wait.
   */
  admit(address: string, account: string): number;
  /** The admitted attempt succeeded: it was no failure, and the address is now known for the account. */
  succeeded(address: string, account: string): void;
  /** The admitted attempt never ran (the server was busy): it was no failure. */
  withdraw(address: string, account: string): void;
}

export type BackoffRules = { address: BackoffRule; account: BackoffRule };

export function createSignInBackoff(
  now: () => number = Date.now,
  rules: BackoffRules = { address: ADDRESS_RULE, account: ACCOUNT_RULE },
): LocalSignInBackoff {
  const addresses = new FailureCounter(rules.address);
  const accounts = new FailureCounter(rules.account);
  const known = new Recent<number>();
  const knownFor = (address: string, account: string) => `${account}\n${address}`;

  const uncount = (address: string, account: string) => {
    addresses.add(address, now(), -1);
    accounts.add(account, now(), -1);
  };
  return {
    admit(address, account) {
      const at = now();
      const knownSince = known.get(knownFor(address, account));
      const accountWait =
        knownSince !== undefined && at - knownSince < KNOWN_ADDRESS_MS ? 0 : accounts.waitMs(account, at);
      const wait = Math.max(addresses.waitMs(address, at), accountWait);
      if (wait > 0) return wait;
      addresses.add(address, at, 1);
      accounts.add(account, at, 1);
      return 0;
    },
    succeeded(address, account) {
      uncount(address, account);
      known.set(knownFor(address, account), now());
    },
    withdraw: uncount,
  };
}
