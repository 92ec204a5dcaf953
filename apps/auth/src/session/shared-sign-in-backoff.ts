import type { SharedStore } from '@enginy/service/shared-store';
import type { FastifyBaseLogger } from 'fastify';
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  type BackoffRule,
  type BackoffRules,
  KNOWN_ADDRESS_MS,
  type LocalSignInBackoff,
  type SignInBackoff,
} from './sign-in-backoff.ts';

// The rules of sign-in-backoff.ts on Redis, so that N replicas allow the attempts of one, not N
// times as many. Each key is a hash {count, lastAt} that expires `forgetAfterMs` after its last
// failure (which is when the in-memory counter forgets it too). One script per decision, so the
// check and the count of an admitted attempt are one atomic step across every replica.
const COUNTERS = `
-- The failures of a key, forgotten once the last is older than forget (as the key's expiry does in real time).
local function failures(key, now, forget)
  local entry = redis.call('HMGET', key, 'count', 'lastAt')
  local count = tonumber(entry[1])
  if count == nil then return nil end
  if now - tonumber(entry[2]) > forget then
    redis.call('DEL', key)
    return nil
  end
  return count, tonumber(entry[2])
end
local function wait(key, now, free, first, max, forget)
  local count, lastAt = failures(key, now, forget)
  if count == nil or count < free then return 0 end
  return math.max(0, lastAt + math.min(max, first * 2 ^ (count - free)) - now)
end
local function fail(key, now, forget)
  failures(key, now, forget)
  redis.call('HINCRBY', key, 'count', 1)
  redis.call('HSET', key, 'lastAt', now)
  redis.call('PEXPIRE', key, forget)
end
`;
// KEYS: address, account, known (account, address).
// ARGV: now, known for ms, address rule (free, first, max, forget), account rule (the same four).
const ADMIT = `${COUNTERS}
local now = tonumber(ARGV[1])
local a = { tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]) }
local b = { tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]) }
local waits = wait(KEYS[1], now, a[1], a[2], a[3], a[4])
local knownSince = tonumber(redis.call('GET', KEYS[3]))
if knownSince == nil or now - knownSince >= tonumber(ARGV[2]) then
  waits = math.max(waits, wait(KEYS[2], now, b[1], b[2], b[3], b[4]))
end
if waits > 0 then return math.ceil(waits) end
fail(KEYS[1], now, a[4])
fail(KEYS[2], now, b[4])
return 0
`;
// KEYS: address, account, known. ARGV: now (empty: a withdrawn attempt), known for ms.
const UNCOUNT = `
for i = 1, 2 do
  if redis.call('HINCRBY', KEYS[i], 'count', -1) <= 0 then redis.call('DEL', KEYS[i]) end
end
if ARGV[1] ~= '' then redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2]) end
return 0
`;

const ruleArgs = (rule: BackoffRule) => [rule.freeFailures, rule.firstDelayMs, rule.maxDelayMs, rule.forgetAfterMs];

/**
 * The backoff every replica shares. While Redis cannot be reached, each replica falls back to its
 * own counters (`local`), logged: attempts are then limited per replica, as with one process, and
 * never unlimited.
 */
export function sharedSignInBackoff(
  redis: NonNullable<SharedStore['redis']>,
  local: LocalSignInBackoff,
  log: FastifyBaseLogger,
  now: () => number = Date.now,
  rules: BackoffRules = { address: ADDRESS_RULE, account: ACCOUNT_RULE },
): SignInBackoff {
  const keys = (address: string, account: string) => [
    `enginy:auth:sign-in:address:${address}`,
    `enginy:auth:sign-in:account:${account}`,
    `enginy:auth:sign-in:known:${account}\n${address}`,
  ];
  let warned = false;
  const orLocal = async <T>(shared: () => Promise<T>, own: () => T): Promise<T> => {
    try {
      const answer = await shared();
      warned = false;
      return answer;
    } catch (error) {
      if (!warned) log.warn({ err: error }, 'sign-in backoff: shared store unreachable, counting in this process');
      warned = true;
      return own();
    }
  };
  return {
    admit: (address, account) =>
      orLocal(
        async () =>
          Number(
            await redis.eval(
              ADMIT,
              3,
              ...keys(address, account),
              now(),
              KNOWN_ADDRESS_MS,
              ...ruleArgs(rules.address),
              ...ruleArgs(rules.account),
            ),
          ),
        () => local.admit(address, account),
      ),
    succeeded: (address, account) =>
      orLocal(
        async () => {
          await redis.eval(UNCOUNT, 3, ...keys(address, account), now(), KNOWN_ADDRESS_MS);
        },
        () => local.succeeded(address, account),
      ),
    withdraw: (address, account) =>
      orLocal(
        async () => {
          await redis.eval(UNCOUNT, 3, ...keys(address, account), '', KNOWN_ADDRESS_MS);
        },
        () => local.withdraw(address, account),
      ),
  };
}
