// PostgreSQL stops under load: readiness goes 503, every request gets a clear 503 in bounded time
// (no 500, no hang), the processes live on, and service resumes by itself when PostgreSQL returns.
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import { hashSecret } from '@enginy/security/tokens';
import { describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { oauthOf } from '../src/oauth.ts';
import { type Outcome, type ProbeCredentials, probeAll, succeeded } from '../src/probes.ts';
import { ADMIN, useStack } from '../src/stack.ts';

// A request during the outage must be answered within this (the pool's connect timeout is 5 s).
const BOUND_MS = 8_000;
const h = useStack({ TOKEN_RATE_LIMIT_PER_MINUTE: '100000' }, undefined, { ownPostgres: true });

// Rounds start at most this often. The test is about the outage, not the rate limits: unpaced, the
// rounds before and after it (a few ms each when every answer is quick) sent more than the documented
// 600 REST calls a minute for one operation and key, and the last ones were answered 429.
const ROUND_MS = 20;

/** Probes in rounds for `ms`, all kinds at once each round, a round at most every ROUND_MS. */
async function loadFor(ms: number, credentials: ProbeCredentials): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const next = Date.now() + ROUND_MS;
    outcomes.push(...(await probeAll(h.stack.config, credentials, BOUND_MS + 2_000)));
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return outcomes;
}

function describeOutcome(o: Outcome): string {
  return `${o.kind}: ${o.status} in ${Math.round(o.ms)} ms ${o.body.slice(0, 200)}`;
}

describe('PostgreSQL stops under load', () => {
  it('readiness goes 503, requests get a clear 503 in bounded time, and service resumes by itself', async () => {
    const { config } = h.stack;
    const database = h.stack.database;
    if (database === undefined) throw new Error('this test needs the embedded PostgreSQL of the test stack');
    const tokens = await oauthOf(config).authorizeAndRedeem(await oauthOf(config).signIn(ADMIN));
    const apiKey = (
      await issueApiKey(h.db, config.tokenHashKey, {
        key: newApiKey(),
        workspaceId: SEED_IDS.acme,
        name: 'outage',
        scopes: ['WORKSPACE_READ'],
      })
    ).key;
    const credentials: ProbeCredentials = {
      apiKey,
      accessToken: tokens.access_token,
      clientId: tokens.clientId,
      refreshToken: tokens.refresh_token,
    };
    const pids = h.stack.apps.map((app) => app.child.pid);

    // Healthy: everything succeeds.
    const before = await loadFor(2_000, credentials);
    expect(before.filter((o) => !succeeded(o)).map(describeOutcome)).toEqual([]);

    // Outage: load keeps running while PostgreSQL stops, and for a while after.
    const during = loadFor(8_000, credentials);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await database.stop();
    const outage = await during;
    // Once the stop has taken effect, the rounds that follow are all refused.
    const refused = outage.filter((o) => !succeeded(o));
    expect(refused.length).toBeGreaterThan(0);
    const unclear = refused.filter((o) => {
      if (o.status !== 503 || o.ms > BOUND_MS) return true;
      const body = JSON.parse(o.body) as Record<string, unknown>;
      const message =
        body.error_description ??
        body.message ??
        (body.error as { message?: unknown } | undefined)?.message ??
        (body.checks as Record<string, unknown> | undefined)?.database;
      return typeof message !== 'string' || message === '';
    });
    for (const app of h.stack.apps)
      expect(app.child.exitCode, `${app.name} exited during the outage:\n${app.recent.join('\n')}`).toBeNull();
    expect(unclear.map(describeOutcome)).toEqual([]);
    const kinds = new Set(refused.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['authorize', 'mcp', 'readyz auth', 'readyz openapi', 'refresh', 'rest']);

    // PostgreSQL returns: the same processes become ready again without a restart.
    await database.start();
    const deadline = Date.now() + 30_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      const answers = await Promise.all(
        [config.openapi.url, config.auth.issuer].map((base) => fetch(`${base}/readyz`).then((r) => r.status)),
      );
      ready = answers.every((status) => status === 200);
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ready).toBe(true);
    const after = await loadFor(2_000, credentials);
    expect(after.filter((o) => !succeeded(o)).map(describeOutcome)).toEqual([]);
    expect(h.stack.apps.map((app) => app.child.pid)).toEqual(pids);
    await expectAlive(h.stack);

    // MCP usage is counted in memory and written every 2 s; the writes that failed during the outage
    // are retried, so every answered call is in the console's count.
    const answered = [...before, ...outage, ...after].filter((o) => o.kind === 'mcp' && succeeded(o)).length;
    const { grant_id: grantId } = await h.db
      .selectFrom('oauth_tokens')
      .select('grant_id')
      .where('token_hash', '=', hashSecret(config.tokenHashKey, tokens.access_token))
      .executeTakeFirstOrThrow();
    const counted = async () =>
      (
        await h.db
          .selectFrom('mcp_tool_usage')
          .select('calls')
          .where('grant_id', '=', grantId)
          .where('tool', '=', 'mcp_whoami')
          .executeTakeFirst()
      )?.calls ?? 0;
    const usageDeadline = Date.now() + 15_000;
    while ((await counted()) < answered && Date.now() < usageDeadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await counted()).toBeGreaterThanOrEqual(answered);
  });
});
