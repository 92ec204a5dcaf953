import { redisAtomicStore } from '@enginy/service/atomic-store';
import type { SharedStore } from '@enginy/service/shared-store';
import type { FastifyBaseLogger } from 'fastify';
import { ACCOUNT_RULE, ADDRESS_RULE, type BackoffRules, type SignInBackoff, signInBackoff } from './sign-in-backoff.ts';

/**
 * The rules of sign-in-backoff.ts on the Redis every replica shares, so that N replicas allow the
 * attempts of one, not N times as many: the same code over the shared atomic store. While Redis
 * cannot be reached, each replica falls back to its own counters (`local`), logged: attempts are then
 * limited per replica, as with one process, and never unlimited.
 */
export function sharedSignInBackoff(
  redis: NonNullable<SharedStore['redis']>,
  local: SignInBackoff,
  log: FastifyBaseLogger,
  now: () => number = Date.now,
  rules: BackoffRules = { address: ADDRESS_RULE, account: ACCOUNT_RULE },
): SignInBackoff {
  const shared = signInBackoff(redisAtomicStore(redis), now, rules);
  let warned = false;
  const orLocal = async <T>(answer: () => Promise<T>, own: () => Promise<T>): Promise<T> => {
    try {
      const result = await answer();
      warned = false;
      return result;
    } catch (error) {
      if (!warned) log.warn({ err: error }, 'sign-in backoff: shared store unreachable, counting in this process');
      warned = true;
      return own();
    }
  };
  return {
    admit: (address, account) =>
      orLocal(
        () => shared.admit(address, account),
        () => local.admit(address, account),
      ),
    succeeded: (address, account) =>
      orLocal(
        () => shared.succeeded(address, account),
        () => local.succeeded(address, account),
      ),
    withdraw: (address, account) =>
      orLocal(
        () => shared.withdraw(address, account),
        () => local.withdraw(address, account),
      ),
  };
}
