import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, GLOBEX, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let write: string;
beforeAll(async () => {
  h = await startHarness();
  write = await h.key(['LISTS_WRITE']);
});
afterAll(() => h.close());

describe('lists', () => {
  it('lists the seeded lists with member counts (LISTS_WRITE includes LISTS_READ)', async () => {
    const response = await h.call('GET', '/v1/lists', { key: write });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.meta.total).toBeGreaterThanOrEqual(5);
    expect(body.data.some((list: { memberCount: number }) => list.memberCount > 0)).toBe(true);
  });

  it('creates a list, adds and removes contacts, refusing duplicate names', async () => {
    const created = await h.call('POST', '/v1/lists', { key: write, body: { name: 'Hot leads' } });
    expect(created.statusCode).toBe(201);
    const listId = created.json().data.id;
    expect((await h.call('POST', '/v1/lists', { key: write, body: { name: 'HOT LEADS' } })).statusCode).toBe(409);

    const contactIds = [ACME.contact(0), ACME.contact(1), ACME.contact(2)];
    const added = await h.call('POST', `/v1/lists/${listId}/contacts`, { key: write, body: { contactIds } });
    expect(added.json().data).toEqual({ listId, changed: 3, memberCount: 3 });
    const again = await h.call('POST', `/v1/lists/${listId}/contacts`, { key: write, body: { contactIds } });
    expect(again.json().data).toEqual({ listId, changed: 0, memberCount: 3 });
    const removed = await h.call('POST', `/v1/lists/${listId}/contacts/remove`, {
      key: write,
      body: { contactIds: [ACME.contact(1)] },
    });
    expect(removed.json().data).toEqual({ listId, changed: 1, memberCount: 2 });
  });

  it('is 404 for an unknown list and 422 naming a contact of another workspace', async () => {
    expect(
      (await h.call('POST', `/v1/lists/${MISSING}/contacts`, { key: write, body: { contactIds: [ACME.contact(0)] } }))
        .statusCode,
    ).toBe(404);
    const foreign = await h.call('POST', `/v1/lists/${ACME.list(0)}/contacts`, {
      key: write,
      body: { contactIds: [ACME.contact(0), GLOBEX.contact(0)] },
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ code: 'invalid_reference', details: [{ path: 'contactIds[1]' }] });
  });

  it('validates bodies and needs LISTS_WRITE to change lists', async () => {
    const empty = await h.call('POST', `/v1/lists/${ACME.list(0)}/contacts`, { key: write, body: { contactIds: [] } });
    expect(empty.statusCode).toBe(422);
    const reader = await h.key(['LISTS_READ']);
    const denied = await h.call('POST', '/v1/lists', { key: reader, body: { name: 'x' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toContain('LISTS_WRITE');
  });
});
