import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('workspace resources', () => {
  it('GET /v1/credits answers the balance with WORKSPACE_READ, per workspace', async () => {
    const response = await h.call('GET', '/v1/credits', { key: await h.key(['WORKSPACE_READ']) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'success',
      message: 'Credits retrieved',
      data: { balance: 4250, nextRenewalDate: '2026-12-01', monthlyPlanCredits: 5000, monthlyAddonCredits: 1000 },
    });
    const globex = await h.call('GET', '/v1/credits', { key: await h.key(['WORKSPACE_READ'], 'globex') });
    expect(globex.json().data.balance).toBe(300);
    expect((await h.call('GET', '/v1/credits', { key: await h.key(['CONTACTS_READ']) })).statusCode).toBe(403);
  });

  it('GET /v1/credits is 404 when the workspace has no credits account', async () => {
    const key = await h.key(['WORKSPACE_READ'], 'globex');
    await h.t.db
      .deleteFrom('workspace_credits')
      .where('workspace_id', '=', '0a000000-0000-4000-8000-000000000002')
      .execute();
    expect((await h.call('GET', '/v1/credits', { key })).statusCode).toBe(404);
  });

  it('GET /v1/sender-identities lists identities with their channels (IDENTITIES_READ)', async () => {
    const response = await h.call('GET', '/v1/sender-identities', { key: await h.key(['IDENTITIES_READ']) });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.length).toBeGreaterThanOrEqual(3);
    expect(response.json().data[0]).toMatchObject({
      id: expect.any(String),
      channels: expect.arrayContaining(['EMAIL']),
    });
    expect(
      (await h.call('GET', '/v1/sender-identities', { key: await h.key(['OWNERS_READ']) })).json().message,
    ).toContain('IDENTITIES_READ');
  });

  it('GET /v1/tasks/owners lists CRM owners (OWNERS_READ)', async () => {
    const response = await h.call('GET', '/v1/tasks/owners', { key: await h.key(['OWNERS_READ']) });
    expect(response.json().data.map((owner: { name: string }) => owner.name)).toContain('Laura Vidal');
    expect((await h.call('GET', '/v1/tasks/owners', { key: await h.key(['IDENTITIES_READ']) })).statusCode).toBe(403);
  });
});
