import { labAgentsSeen } from '@enginy/config/failure-lab-agents';
import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { listLabSwitches } from '@enginy/db/queries/failure-lab';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient } from '@enginy/testing/oauth-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ACME, type Console, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());
afterEach(async () => {
  await c.t.db.deleteFrom('failure_lab_switches').execute();
});

const url = (scenario?: string) => `/console/workspaces/${ACME}/failure-lab${scenario ? `/${scenario}` : ''}`;
type View = { name: string; on: boolean; state: { scope: string; options: object; switchedOnBy: string } | null };
const named = (body: { scenarios: View[] }, name: string) => body.scenarios.find((s) => s.name === name);

describe('console failure lab', () => {
  it('lists every catalogue scenario, off, with its reports and clause; a member reads it too', async () => {
    const response = await c.call('GET', url(), c.member);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.scenarios).toHaveLength(10);
    expect(named(body, 'no-dcr')).toMatchObject({
      on: false,
      state: null,
      workspaceSense: false,
      agentsSeen: labAgentsSeen('no-dcr'),
    });
    expect(labAgentsSeen('no-dcr')).not.toEqual([]);
    expect(named(body, 'expire-access')).toMatchObject({
      workspaceSense: true,
      options: [{ name: 'seconds', default: 30, min: 1 }],
      clause: expect.stringContaining('RFC 6749'),
    });
    expect((await c.call('GET', url(), undefined)).statusCode).toBe(401);
  });

  it('an admin switches one on for the workspace with options: stored, shown with who and when, audited', async () => {
    const response = await c.call('PUT', url('expire-access'), c.admin, {
      scope: 'workspace',
      options: { seconds: 5 },
    });
    expect(response.statusCode).toBe(200);
    expect(named(response.json(), 'expire-access')).toMatchObject({
      on: true,
      state: { scope: 'workspace', options: { seconds: 5 }, switchedOnBy: 'dev@enginy.local' },
    });
    expect(await listLabSwitches(c.t.db)).toMatchObject([
      { scenario: 'expire-access', workspaceId: ACME, options: { seconds: 5 }, switchedOnBy: 'dev@enginy.local' },
    ]);
    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({ reason: 'failure_lab_on', outcome: 'allowed' });
    expect(event?.details).toMatchObject({ by: 'dev@enginy.local', scenario: 'expire-access', scope: 'workspace' });
    // The member sees it on, read-only.
    expect(named((await c.call('GET', url(), c.member)).json(), 'expire-access')?.on).toBe(true);
  });

  it('a global scenario switches on globally, off again, and all off clears everything; each audited', async () => {
    expect((await c.call('PUT', url('no-dcr'), c.admin, { scope: 'global' })).statusCode).toBe(200);
    expect((await c.call('PUT', url('step-up'), c.admin, { scope: 'workspace' })).statusCode).toBe(200);
    const off = await c.call('DELETE', url('no-dcr'), c.admin);
    expect(off.statusCode).toBe(200);
    expect(off.json().switchedOff).toBe(1);
    expect(named(off.json(), 'no-dcr')?.on).toBe(false);
    expect((await listLabSwitches(c.t.db)).map((row) => row.scenario)).toEqual(['step-up']);
    const all = await c.call('DELETE', url(), c.admin);
    expect(all.json().switchedOff).toBe(1);
    expect(await listLabSwitches(c.t.db)).toEqual([]);
    const events = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 2 });
    expect(events.map((event) => [event.reason, event.details.scenario])).toEqual([
      ['failure_lab_off', 'all'],
      ['failure_lab_off', 'no-dcr'],
    ]);
  });

  it.each([
    ['an unknown scenario', 'no-such-thing', { scope: 'global' }, 'scenario'],
    ['negative seconds', 'expire-access', { scope: 'workspace', options: { seconds: -5 } }, 'options.seconds'],
    [
      'seconds that are not a whole number',
      'expire-access',
      { scope: 'workspace', options: { seconds: 'soon' } },
      'options.seconds',
    ],
    ['an option the scenario has not', 'no-dcr', { scope: 'global', options: { seconds: 3 } }, 'options.seconds'],
    ['a workspace switch of a global-only scenario', 'no-dcr', { scope: 'workspace' }, 'scope'],
    ['no scope', 'no-dcr', {}, 'scope'],
  ])('refuses %s with a 422 naming the field, and switches nothing', async (_case, scenario, body, field) => {
    const response = await c.call('PUT', url(scenario), c.admin, body);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field });
    expect(await listLabSwitches(c.t.db)).toEqual([]);
  });

  it('names the valid range for a bad option, as the CLI does', async () => {
    const response = await c.call('PUT', url('expire-access'), c.admin, {
      scope: 'workspace',
      options: { seconds: -5 },
    });
    expect(response.json().error_description).toBe(
      'options.seconds: --seconds must be a whole number from 1 to 86400 (the access token lifetime), not "-5"',
    );
  });

  it('a member may not switch (403), nor anyone without the CSRF token or from another origin', async () => {
    const member = await c.call('PUT', url('no-dcr'), c.member, { scope: 'global' });
    expect(member.statusCode).toBe(403);
    expect((await c.call('DELETE', url(), c.member)).statusCode).toBe(403);
    const noCsrf = await c.call('PUT', url('no-dcr'), c.admin, { scope: 'global' }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.statusCode).toBe(403);
    const elsewhere = await c.call(
      'PUT',
      url('no-dcr'),
      c.admin,
      { scope: 'global' },
      { origin: 'http://evil.example' },
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(await listLabSwitches(c.t.db)).toEqual([]);
  });
});

describe('console failure lab in production', () => {
  it('every lab route refuses with a clear message, and nothing is switched on', async () => {
    const config = testConfig(c.t.url, { NODE_ENV: 'production', TOKEN_HASH_KEY: 'k'.repeat(64) });
    const app = await buildApp(config, { db: c.t.db });
    try {
      // Signed in on the production app itself: its session cookie is its own (__Host-, keyed hashes).
      const admin = await oauthClient(injectTransport(app), config).signIn();
      const headers = { origin: config.web.url, cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
      const get = await app.inject({ method: 'GET', url: url(), headers });
      const put = await app.inject({ method: 'PUT', url: url('no-dcr'), headers, payload: { scope: 'global' } });
      const off = await app.inject({ method: 'DELETE', url: url(), headers });
      for (const response of [get, put, off]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({
          error: 'failure_lab_unavailable',
          error_description: expect.stringContaining('NODE_ENV=production'),
        });
      }
      expect(await listLabSwitches(c.t.db)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
