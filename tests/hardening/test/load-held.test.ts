// Mixed load held for HARDENING_LOAD_SECONDS: MCP tools/call with bearer tokens, REST with API keys,
// refresh rotations and whole new authorizations, at once. Zero errors, and the apps' memory stays
// bounded (the curve is printed). 20 s in `npm test`; `pnpm test:soak` (in CI after it) holds the
// same file for 120 s.
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { demoId, SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import { describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { callTool } from '../src/mcp.ts';
import { appRssMiB } from '../src/memory.ts';
import { oauthOf } from '../src/oauth.ts';
import { ADMIN, useStack } from '../src/stack.ts';

const SECONDS = Number(process.env.HARDENING_LOAD_SECONDS ?? 20);
// Every 10 s, or often enough that a short run still has 8 samples after its first one.
const SAMPLE_MS = Math.min(10_000, (SECONDS * 1000) / 8);
const h = useStack({ TOKEN_RATE_LIMIT_PER_MINUTE: '1000000' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `step` every `everyMs` (or back to back when it is slower) until `until`, counting and collecting failures. */
async function paced(
  until: number,
  everyMs: number,
  step: (i: number) => Promise<void>,
  errors: string[],
  counter: { n: number },
) {
  for (let i = 0; Date.now() < until; i++) {
    const started = Date.now();
    try {
      await step(i);
      counter.n++;
    } catch (error) {
      errors.push((error as Error).message.slice(0, 300));
    }
    await pause(Math.max(0, everyMs - (Date.now() - started)));
  }
}

describe(`mixed load held for ${SECONDS} s`, () => {
  it('MCP calls, REST calls, refreshes and new authorizations: zero errors, bounded memory', {
    timeout: (SECONDS + 120) * 1000,
  }, async () => {
    const { config } = h.stack;
    const session = await oauthOf(config).signIn(ADMIN);
    const keys = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        issueApiKey(h.db, config.tokenHashKey, {
          key: newApiKey(),
          workspaceId: SEED_IDS.acme,
          name: `load ${i}`,
          scopes: ['WORKSPACE_READ', 'CONTACTS_READ'],
        }).then((k) => k.key),
      ),
    );
    const grants = await Promise.all(Array.from({ length: 4 }, () => oauthOf(config).authorizeAndRedeem(session)));

    const errors: string[] = [];
    const counts = { mcp: { n: 0 }, rest: { n: 0 }, refresh: { n: 0 }, authorize: { n: 0 } };
    const samples: { at: number; rss: Record<string, number> }[] = [];
    const started = Date.now();
    const until = started + SECONDS * 1000;
    const sample = () =>
      samples.push({
        at: Math.round((Date.now() - started) / 1000),
        rss: Object.fromEntries(h.stack.apps.map((app) => [app.name, Math.round(appRssMiB(app.child.pid as number))])),
      });
    sample();
    const sampler = setInterval(sample, SAMPLE_MS);

    // Each grant has one worker: MCP calls with its access token, and every 25th step a refresh
    // (rotation) whose new tokens the next calls use.
    const grantWorker = (grant: (typeof grants)[number]) =>
      paced(
        until,
        120,
        async (i) => {
          if (i % 25 === 24) {
            const rotated = await oauthOf(config).refresh(grant.clientId, grant.refresh_token);
            grant.access_token = rotated.access_token;
            grant.refresh_token = rotated.refresh_token;
            counts.refresh.n++;
            return;
          }
          const result = await callTool(config, grant.access_token, i % 2 === 0 ? 'mcp_whoami' : 'get_credits');
          if (result.isError) throw new Error(`tool error: ${result.content[0]?.text}`);
          counts.mcp.n++;
        },
        errors,
        { n: 0 },
      );
    let restStep = 0;
    const restWorker = () =>
      paced(
        until,
        50,
        async () => {
          const n = restStep++;
          const key = keys[n % keys.length] as string;
          const route = Math.floor(n / keys.length) % 3;
          const response =
            route === 0
              ? await fetch(`${config.openapi.url}/v1/credits`, { headers: { 'x-api-key': key } })
              : route === 1
                ? await fetch(`${config.openapi.url}/v1/contacts/${demoId('acme', 4, n % 100)}`, {
                    headers: { 'x-api-key': key },
                  })
                : await fetch(`${config.openapi.url}/v1/contacts/search`, {
                    method: 'POST',
                    headers: { 'x-api-key': key, 'content-type': 'application/json' },
                    body: JSON.stringify({ pageSize: 5, page: 1 + (n % 4) }),
                  });
          if (response.status !== 200)
            throw new Error(`REST ${route}: ${response.status} ${(await response.text()).slice(0, 200)}`);
          await response.arrayBuffer().catch(() => {});
          counts.rest.n++;
        },
        errors,
        { n: 0 },
      );
    // New connections: register, authorize, approve, redeem, then one call with the new token.
    const authorizeWorker = () =>
      paced(
        until,
        600,
        async () => {
          const fresh = await oauthOf(config).authorizeAndRedeem(session, {
            clientId: (await oauthOf(config, 'load').register()).client_id,
          });
          const result = await callTool(config, fresh.access_token, 'mcp_whoami');
          if (result.isError) throw new Error(`new connection's whoami: ${result.content[0]?.text}`);
          counts.authorize.n++;
        },
        errors,
        { n: 0 },
      );

    await Promise.all([...grants.map(grantWorker), restWorker(), restWorker(), restWorker(), authorizeWorker()]);
    clearInterval(sampler);
    sample();

    const names = h.stack.apps.map((app) => app.name);
    const curve = samples
      .map(
        (s) =>
          `  ${String(s.at).padStart(4)} s  ${names.map((name) => `${name} ${String(s.rss[name]).padStart(4)} MiB`).join('   ')}`,
      )
      .join('\n');
    const elapsed = (Date.now() - started) / 1000;
    process.stdout.write(
      `\nmixed load, ${Math.round(elapsed)} s: ${counts.mcp.n} MCP calls, ${counts.rest.n} REST calls, ${counts.refresh.n} refreshes, ${counts.authorize.n} new authorizations ` +
        `(${Math.round((counts.mcp.n + counts.rest.n + counts.refresh.n + counts.authorize.n * 5) / elapsed)} requests/s), ${errors.length} errors\nRSS of each app:\n${curve}\n`,
    );

    expect(errors.slice(0, 20)).toEqual([]);
    expect(counts.mcp.n).toBeGreaterThan(0);
    expect(counts.refresh.n).toBeGreaterThan(0);
    expect(counts.authorize.n).toBeGreaterThan(0);
    // Bounded growth: the last sample is within 1.5x the first one after warm-up (a quarter of the run, at most 20 s).
    const warm = samples.find((s) => s.at >= Math.min(20, SECONDS / 4)) ?? samples[0];
    const last = samples[samples.length - 1];
    for (const name of names)
      expect(last?.rss[name] ?? 0, `${name} memory curve:\n${curve}`).toBeLessThanOrEqual((warm?.rss[name] ?? 0) * 1.5);
    await expectAlive(h.stack);
  });
});
