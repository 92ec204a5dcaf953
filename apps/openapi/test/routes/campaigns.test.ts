import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let write: string;
beforeAll(async () => {
  h = await startHarness();
  write = await h.key(['CAMPAIGNS_WRITE']);
});
afterAll(() => h.close());

const steps = [
  { type: 'email', subject: 'Hello {{firstName}}', body: 'Short intro' },
  {
    type: 'condition',
    condition: 'replied',
    delayDays: 3,
    onTrue: [{ type: 'task', title: 'Call them' }],
    onFalse: [{ type: 'linkedin_connection' }, { type: 'end' }],
  },
];

describe('campaigns', () => {
  it('lists campaigns (filtered by status) and gets one with its steps', async () => {
    const all = (await h.call('GET', '/v1/campaigns', { key: write })).json();
    expect(all.meta.total).toBeGreaterThanOrEqual(4);
    const active = (await h.call('GET', '/v1/campaigns?status=ACTIVE', { key: write })).json();
    expect(active.data.every((c: { status: string }) => c.status === 'ACTIVE')).toBe(true);
    const one = (await h.call('GET', `/v1/campaigns/${ACME.campaign(0)}`, { key: write })).json();
    expect(one.data.steps.length).toBeGreaterThan(0);
    expect(one.data.enrolledCount).toBeGreaterThan(0);
    expect((await h.call('GET', `/v1/campaigns/${MISSING}`, { key: write })).statusCode).toBe(404);
    expect((await h.call('GET', '/v1/campaigns?status=LOST', { key: write })).statusCode).toBe(422);
  });

  it('creates a draft from ordered steps, kept in order', async () => {
    const response = await h.call('POST', '/v1/campaigns', {
      key: write,
      body: { name: 'Q4 push', senderIdentityId: ACME.identity(1), steps },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({
      status: 'DRAFT',
      steps: [{ type: 'email', delayDays: 0 }, { type: 'condition' }],
    });
  });

  it.each([
    [[{ type: 'email', body: 'no subject' }], 'steps[0].subject', 'is required'],
    [[{ type: 'email', subject: '', body: 'x' }], 'steps[0].subject', 'must NOT have fewer than 1 characters'],
    [[{ type: 'fax' }], 'steps[0].type', ''],
    [
      [steps[0], { type: 'condition', condition: 'replied', onTrue: [{ type: 'task' }], onFalse: [] }],
      'steps[1].onTrue[0].title',
      'is required',
    ],
    [[{ type: 'end' }, steps[0]], 'steps[0].type', '"end" must be the last step of its branch'],
    [[{ type: 'email', subject: 's', body: 'b', delayDays: 400 }], 'steps[0].delayDays', 'must be <= 90'],
    [[{ type: 'email', subject: 's', body: 'b', color: 'red' }], 'steps[0].color', 'is not a known field'],
  ])('rejects bad steps with a 422 at the step field (%#)', async (bad, path, message) => {
    const response = await h.call('POST', '/v1/campaigns', { key: write, body: { name: 'Bad', steps: bad } });
    expect(response.statusCode).toBe(422);
    expect(response.json().details[0].path).toBe(path);
    expect(response.json().message).toContain(path);
    if (message) expect(response.json().details[0].message).toBe(message);
  });

  it('422 for a sender identity that is not the workspace’s', async () => {
    const response = await h.call('POST', '/v1/campaigns', {
      key: write,
      body: { name: 'x', senderIdentityId: MISSING, steps },
    });
    expect(response.json()).toMatchObject({ code: 'invalid_reference', details: [{ path: 'senderIdentityId' }] });
  });

  it('moves through DRAFT → ACTIVE → PAUSED → ACTIVE → FINISHED and refuses other moves with 409', async () => {
    const id = (
      await h.call('POST', '/v1/campaigns', {
        key: write,
        body: { name: 'Lifecycle', senderIdentityId: ACME.identity(0), steps },
      })
    ).json().data.id;
    const move = (status: string) => h.call('PATCH', `/v1/campaigns/${id}/status`, { key: write, body: { status } });
    expect((await move('PAUSED')).statusCode).toBe(409);
    for (const status of ['ACTIVE', 'PAUSED', 'ACTIVE', 'FINISHED']) {
      const response = await move(status);
      expect(response.statusCode, status).toBe(200);
      expect(response.json().data.status).toBe(status);
    }
    const after = await move('ACTIVE');
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({
      code: 'invalid_status_transition',
      message: 'A FINISHED campaign cannot become ACTIVE',
    });
    expect(
      (await h.call('PATCH', `/v1/campaigns/${MISSING}/status`, { key: write, body: { status: 'ACTIVE' } })).statusCode,
    ).toBe(404);
    expect(
      (await h.call('POST', `/v1/campaigns/${id}/contacts`, { key: write, body: { contactIds: [ACME.contact(0)] } }))
        .statusCode,
    ).toBe(409);
  });

  it('a draft without a sender identity cannot start', async () => {
    const id = (await h.call('POST', '/v1/campaigns', { key: write, body: { name: 'No sender', steps } })).json().data
      .id;
    const response = await h.call('PATCH', `/v1/campaigns/${id}/status`, { key: write, body: { status: 'ACTIVE' } });
    expect(response.statusCode).toBe(409);
  });

  it('enrols contacts once each', async () => {
    const url = `/v1/campaigns/${ACME.campaign(1)}/contacts`;
    const first = await h.call('POST', url, {
      key: write,
      body: { contactIds: [ACME.contact(300), ACME.contact(301)] },
    });
    expect(first.json().data).toMatchObject({ enrolled: 2, alreadyEnrolled: 0 });
    const second = await h.call('POST', url, {
      key: write,
      body: { contactIds: [ACME.contact(300), ACME.contact(302)] },
    });
    expect(second.json().data).toMatchObject({ enrolled: 1, alreadyEnrolled: 1 });
    expect((await h.call('POST', url, { key: write, body: { contactIds: [MISSING] } })).statusCode).toBe(422);
  });

  it('needs CAMPAIGNS_WRITE to create and CAMPAIGNS_READ to read', async () => {
    const reader = await h.key(['CAMPAIGNS_READ']);
    expect((await h.call('GET', '/v1/campaigns', { key: reader })).statusCode).toBe(200);
    const denied = await h.call('POST', '/v1/campaigns', { key: reader, body: { name: 'x', steps } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toContain('CAMPAIGNS_WRITE');
  });
});
