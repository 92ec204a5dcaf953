import type { Db } from '@enginy/db/client';
import { listMcpPolicies } from '@enginy/db/queries/workspaces';
import { scopesInForceAnywhere } from '@enginy/policy/effective-scopes';

const TTL_MS = 1_000;
const cache = new WeakMap<Db, { at: number; scopes: Promise<string[]> }>();

/**
 * The scopes a 401 challenge tells a client to request (policy's scopesInForceAnywhere), cached for a
 * second: unauthenticated probes (every `claude mcp list`) must not each cost a query, and a
 * policy change still shows up at once for a person.
 * Per process on purpose, even with replicas: the hint is advice (it grants nothing; every token is
 * checked against the policy in force on each call), and each replica's copy is at most a second old
 * and one entry per database, so replicas disagree for a second at most and never on a decision.
 */
export function scopeHint(db: Db): Promise<string[]> {
  let entry = cache.get(db);
  if (entry === undefined || Date.now() - entry.at > TTL_MS) {
    entry = { at: Date.now(), scopes: listMcpPolicies(db).then(scopesInForceAnywhere, () => []) };
    cache.set(db, entry);
  }
  return entry.scopes;
}
