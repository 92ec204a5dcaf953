import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key(['ACTIONS_WRITE', 'CONTACTS_WRITE', 'WORKSPACE_READ']);
});
afterAll(() => h.close());

async function pollUntilDone(actionsId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const body = (await h.call('GET', `/v1/actions/${actionsId}/status`, { key })).json();
    if (body.data.status === 'COMPLETED' || body.data.status === 'FAILED') return body.data;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('action did not finish');
}

describe('actions', () => {
  it('VERIFY_LEAD_EMAIL runs in the background, spends credits and updates the contacts', async () => {
    const gmail = (
      await h.call('POST', '/v1/contacts', {
        key,
        body: { firstName: 'G', lastName: 'M', professionalEmail: 'g.m@gmail.com' },
      })
    ).json().data.id;
    const noEmail = (await h.call('POST', '/v1/contacts', { key, body: { firstName: 'N', lastName: 'E' } })).json().data
      .id;
    const contactIds = [ACME.contact(0), gmail, noEmail];
    const balance = async () => (await h.call('GET', '/v1/credits', { key })).json().data.balance;
    const before = await balance();

    const started = await h.call('POST', '/v1/actions', { key, body: { type: 'VERIFY_LEAD_EMAIL', contactIds } });
    expect(started.statusCode).toBe(202);
    expect(started.json().data).toMatchObject({ status: 'PENDING', type: 'VERIFY_LEAD_EMAIL', contactCount: 3 });
    expect(await balance()).toBe(before - 3);

    const done = await pollUntilDone(started.json().data.actionsId);
    expect(done).toMatchObject({ status: 'COMPLETED', result: { verified: 3, valid: 1, risky: 1, invalid: 1 } });
    const status = async (id: string) =>
      (await h.call('GET', `/v1/contacts/${id}`, { key })).json().data.emailVerificationStatus;
    expect([await status(ACME.contact(0)), await status(gmail), await status(noEmail)]).toEqual([
      'VALID',
      'RISKY',
      'INVALID',
    ]);
  });

  it('refuses unknown types, foreign contacts and an empty balance', async () => {
    expect(
      (await h.call('POST', '/v1/actions', { key, body: { type: 'DELETE_EVERYTHING', contactIds: [ACME.contact(0)] } }))
        .statusCode,
    ).toBe(422);
    const missing = await h.call('POST', '/v1/actions', {
      key,
      body: { type: 'VERIFY_LEAD_EMAIL', contactIds: [MISSING] },
    });
    expect(missing.json()).toMatchObject({ code: 'invalid_reference', details: [{ path: 'contactIds[0]' }] });
    await h.t.db.updateTable('workspace_credits').set({ balance: 1 }).execute();
    const broke = await h.call('POST', '/v1/actions', {
      key,
      body: { type: 'VERIFY_LEAD_EMAIL', contactIds: [ACME.contact(1), ACME.contact(2)] },
    });
    expect(broke.statusCode).toBe(402);
    expect(broke.json().code).toBe('insufficient_credits');
  });

  it('status is 404 for an unknown action and needs ACTIONS_READ', async () => {
    expect((await h.call('GET', `/v1/actions/${MISSING}/status`, { key })).statusCode).toBe(404);
    const denied = await h.call('GET', `/v1/actions/${MISSING}/status`, { key: await h.key(['CONTACTS_READ']) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toContain('ACTIONS_READ');
  });
});
