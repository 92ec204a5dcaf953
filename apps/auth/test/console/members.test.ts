import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const base = `/console/workspaces/${ACME}`;
const memberUrl = (userId: string, workspaceId: string = ACME) =>
  `/console/workspaces/${workspaceId}/members/${userId}`;
const isMember = async (workspaceId: string, userId: string) =>
  (await c.t.db
    .selectFrom('memberships')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst()) !== undefined;

describe('members', () => {
  it('lists each member with their role and live connections, for admins and members alike', async () => {
    await c.oauth.authorizeAndRedeem(c.member, { workspaceId: ACME });
    await c.oauth.authorizeAndRedeem(c.member, { workspaceId: ACME });
    for (const who of [c.admin, c.member]) {
      const response = await c.call('GET', `${base}/members`, who);
      expect(response.statusCode).toBe(200);
      expect(response.json().members).toEqual([
        expect.objectContaining({ userId: SEED_IDS.admin, email: 'dev@enginy.local', role: 'admin' }),
        expect.objectContaining({
          userId: SEED_IDS.member,
          email: 'member@enginy.local',
          name: 'Mia Member',
          role: 'member',
          activeConnections: 2,
        }),
      ]);
    }
    expect((await c.call('GET', `${base}/members`, undefined)).statusCode).toBe(401);
    // The member is not in Globex: its member list is not theirs to see.
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/members`, c.member)).statusCode).toBe(404);
  });

  it('a member, a missing or wrong CSRF token, or another origin cannot remove anyone', async () => {
    const asMember = await c.call('DELETE', memberUrl(SEED_IDS.admin), c.member);
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().error_description).toMatch(/Only an admin of Acme Outreach .*your role is member/);
    const wrongCsrf = await c.call('DELETE', memberUrl(SEED_IDS.member), c.admin, undefined, { 'x-csrf-token': 'x' });
    expect(wrongCsrf.statusCode).toBe(403);
    const noCsrf = await c.app.inject({
      method: 'DELETE',
      url: memberUrl(SEED_IDS.member),
      headers: { cookie: c.admin.cookie, origin: c.config.web.url },
    });
    expect(noCsrf.statusCode).toBe(403);
    const evil = await c.call('DELETE', memberUrl(SEED_IDS.member), c.admin, undefined, {
      origin: 'http://evil.example',
    });
    expect(evil.statusCode).toBe(403);
    expect((await c.call('DELETE', memberUrl(SEED_IDS.member), undefined)).statusCode).toBe(401);
    expect(await isMember(ACME, SEED_IDS.member)).toBe(true);
    expect(await isMember(ACME, SEED_IDS.admin)).toBe(true);
  });

  it('removing someone who is not a member is 404; a malformed id is a 422 naming userId', async () => {
    // The member belongs to Acme only: in Globex (where the caller is admin) they are nobody.
    const stranger = await c.call('DELETE', memberUrl(SEED_IDS.member, GLOBEX), c.admin);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({
      error: 'not_found',
      error_description: 'That person is not a member of Globex Sales',
    });
    const unknown = await c.call('DELETE', memberUrl('0b000000-0000-4000-8000-0000000000ff'), c.admin);
    expect(unknown.statusCode).toBe(404);
    for (const bad of ['not-a-uuid', "1' or '1'='1", '%00']) {
      const response = await c.call('DELETE', memberUrl(bad), c.admin);
      expect(response.statusCode, bad).toBe(422);
      expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'userId' });
    }
    expect(await isMember(ACME, SEED_IDS.member)).toBe(true);
  });

  it('the only admin cannot remove themselves: 409 last_admin with a sentence, and nothing changes', async () => {
    const events = (await listAuthEvents(c.t.db, { workspaceId: GLOBEX, limit: 200 })).length;
    const response = await c.call('DELETE', memberUrl(SEED_IDS.admin, GLOBEX), c.admin);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: 'last_admin',
      error_description:
        'You are the only admin of Globex Sales, and a workspace needs an admin to manage it: add another admin before removing yourself.',
    });
    expect(await isMember(GLOBEX, SEED_IDS.admin)).toBe(true);
    expect(await listAuthEvents(c.t.db, { workspaceId: GLOBEX, limit: 200 })).toHaveLength(events);
  });

  it('an admin removes a member: gone from the list, recorded as an admin change, nothing else touched', async () => {
    const admins = await c.oauth.authorizeAndRedeem(c.admin, { workspaceId: ACME });
    const response = await c.call('DELETE', memberUrl(SEED_IDS.member), c.admin);
    expect(response.statusCode).toBe(200);
    // The member's two connections of the first test end with the removal (migration 0011), theirs only.
    expect(response.json()).toEqual({ removed: SEED_IDS.member, email: 'member@enginy.local', endedConnections: 2 });
    const theirs = await c.t.db
      .selectFrom('oauth_grants')
      .select(['revoked_at', 'revoked_reason'])
      .where('workspace_id', '=', ACME)
      .where('user_id', '=', SEED_IDS.member)
      .execute();
    expect(theirs).toHaveLength(2);
    expect(theirs.every((g) => g.revoked_at !== null && g.revoked_reason === 'member_removed')).toBe(true);
    const ended = (await c.call('GET', `${base}/connections`, c.admin)).json().ended;
    expect(ended.map((g: { userEmail: string }) => g.userEmail)).toEqual([
      'member@enginy.local',
      'member@enginy.local',
    ]);
    expect(await isMember(ACME, SEED_IDS.member)).toBe(false);
    const listed = (await c.call('GET', `${base}/members`, c.admin)).json().members;
    expect(listed.map((m: { email: string }) => m.email)).toEqual(['dev@enginy.local']);

    const [event] = await listAuthEvents(c.t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({
      reason: 'member_removed',
      outcome: 'allowed',
      user_id: SEED_IDS.admin,
      details: {
        by: 'dev@enginy.local',
        memberId: SEED_IDS.member,
        memberEmail: 'member@enginy.local',
        endedConnections: 2,
      },
    });
    const attempts = (await c.call('GET', `${base}/attempts?reason=member_removed`, c.admin)).json().attempts;
    expect(attempts[0]).toMatchObject({ kind: 'admin', message: expect.stringContaining('Member removed') });

    // The person still exists (their account, their other data); the admin's own connection is live.
    expect(
      await c.t.db.selectFrom('users').select('id').where('id', '=', SEED_IDS.member).executeTakeFirst(),
    ).toBeDefined();
    expect(await c.active(admins.access_token)).toBeDefined();
    // They can no longer read this workspace's console, and removing them twice finds nobody.
    expect((await c.call('GET', `${base}/members`, c.member)).statusCode).toBe(404);
    expect((await c.call('DELETE', memberUrl(SEED_IDS.member), c.admin)).statusCode).toBe(404);
  });

  it('an admin may leave while another admin remains', async () => {
    await c.t.db
      .updateTable('memberships')
      .set({ role: 'admin' })
      .where('workspace_id', '=', ACME)
      .where('user_id', '=', SEED_IDS.admin)
      .execute();
    await c.t.db
      .insertInto('memberships')
      .values({ workspace_id: GLOBEX, user_id: SEED_IDS.member, role: 'admin' })
      .execute();
    const response = await c.call('DELETE', memberUrl(SEED_IDS.admin, GLOBEX), c.admin);
    expect(response.statusCode).toBe(200);
    expect(await isMember(GLOBEX, SEED_IDS.admin)).toBe(false);
    // The one admin left cannot go.
    const last = await c.call('DELETE', memberUrl(SEED_IDS.member, GLOBEX), c.member);
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toBe('last_admin');
  });
});
