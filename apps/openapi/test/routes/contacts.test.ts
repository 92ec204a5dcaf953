import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, GLOBEX, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let read: string;
let write: string;
beforeAll(async () => {
  h = await startHarness();
  read = await h.key(['CONTACTS_READ']);
  write = await h.key(['CONTACTS_WRITE']);
});
afterAll(() => h.close());

describe('POST /v1/contacts/search', () => {
  it('pages through the seeded contacts with Enginy’s list envelope', async () => {
    const first = await h.call('POST', '/v1/contacts/search', { key: read, body: {} });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.meta).toEqual({ page: 1, pageSize: 25, total: expect.any(Number) });
    expect(body.meta.total).toBeGreaterThanOrEqual(400);
    expect(body.data).toHaveLength(25);
    expect(body.data[0]).toMatchObject({
      id: expect.any(String),
      firstName: expect.any(String),
      company: { name: expect.any(String) },
    });
    const second = (await h.call('POST', '/v1/contacts/search', { key: read, body: { page: 2, pageSize: 25 } })).json();
    expect(second.data.map((c: { id: string }) => c.id)).not.toContain(body.data[0].id);
  });

  it('filters by text, company, list, status and CRM flag', async () => {
    const search = (filters: object) =>
      h.call('POST', '/v1/contacts/search', { key: read, body: { filters, pageSize: 100 } }).then((r) => r.json());
    const byName = await search({ search: 'ana garc' });
    expect(byName.data.length).toBeGreaterThan(0);
    expect(
      byName.data.every((c: { firstName: string; lastName: string }) =>
        `${c.firstName} ${c.lastName}`.toLowerCase().includes('ana garc'),
      ),
    ).toBe(true);
    const byCompany = await search({ companyId: ACME.company(0) });
    expect(byCompany.data.every((c: { companyId: string }) => c.companyId === ACME.company(0))).toBe(true);
    const inList = await search({ listId: ACME.list(0) });
    expect(inList.meta.total).toBeGreaterThan(0);
    const valid = await search({ emailVerificationStatus: ['VALID'], isInCRM: true });
    expect(
      valid.data.every(
        (c: { emailVerificationStatus: string; isInCRM: boolean }) =>
          c.emailVerificationStatus === 'VALID' && c.isInCRM,
      ),
    ).toBe(true);
    // `%` is a character to look for, not a wildcard.
    expect((await search({ search: '%' })).meta.total).toBe(0);
  });

  it('rejects a page size over 100 and unknown filters with a 422 naming the field', async () => {
    const big = await h.call('POST', '/v1/contacts/search', { key: read, body: { pageSize: 101 } });
    expect(big.statusCode).toBe(422);
    expect(big.json()).toMatchObject({ status: 'error', code: 'validation_error', details: [{ path: 'pageSize' }] });
    const unknown = await h.call('POST', '/v1/contacts/search', { key: read, body: { filters: { colour: 'red' } } });
    expect(unknown.json().details[0].path).toBe('filters.colour');
  });

  it('needs CONTACTS_READ', async () => {
    const other = await h.key(['COMPANIES_READ']);
    const response = await h.call('POST', '/v1/contacts/search', { key: other, body: {} });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('CONTACTS_READ');
  });
});

describe('GET /v1/contacts/:contactId', () => {
  it('returns one contact', async () => {
    const response = await h.call('GET', `/v1/contacts/${ACME.contact(1)}`, { key: read });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'success', data: { id: ACME.contact(1) } });
  });

  it('is 404 for an unknown id and for another workspace’s contact', async () => {
    expect((await h.call('GET', `/v1/contacts/${MISSING}`, { key: read })).statusCode).toBe(404);
    const response = await h.call('GET', `/v1/contacts/${GLOBEX.contact(0)}`, { key: read });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', message: 'Contact not found' });
  });

  it('is 422 for an id that is not a uuid', async () => {
    const response = await h.call('GET', '/v1/contacts/not-a-uuid', { key: read });
    expect(response.statusCode).toBe(422);
    expect(response.json().details[0].path).toBe('params.contactId');
  });
});

describe('POST /v1/contacts and PATCH /v1/contacts/:contactId', () => {
  it('creates a contact, then finds it, and refuses the same email twice', async () => {
    const body = {
      firstName: 'Núria',
      lastName: 'Puig',
      professionalEmail: 'nuria@puig.example',
      companyId: ACME.company(2),
      contactCountry: 'ES',
    };
    const created = await h.call('POST', '/v1/contacts', { key: write, body });
    expect(created.statusCode).toBe(201);
    const contact = created.json().data;
    expect(contact).toMatchObject({
      firstName: 'Núria',
      company: { id: ACME.company(2) },
      emailVerificationStatus: 'UNVERIFIED',
    });
    expect((await h.call('GET', `/v1/contacts/${contact.id}`, { key: write })).statusCode).toBe(200);
    const again = await h.call('POST', '/v1/contacts', {
      key: write,
      body: { ...body, professionalEmail: 'NURIA@puig.example' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
  });

  it('validates the body (422) and the references it makes (422 invalid_reference)', async () => {
    const missing = await h.call('POST', '/v1/contacts', { key: write, body: { firstName: 'A' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().details[0]).toEqual({ path: 'lastName', message: 'is required' });
    const email = await h.call('POST', '/v1/contacts', {
      key: write,
      body: { firstName: 'A', lastName: 'B', professionalEmail: 'nope' },
    });
    expect(email.json().details[0].path).toBe('professionalEmail');
    const company = await h.call('POST', '/v1/contacts', {
      key: write,
      body: { firstName: 'A', lastName: 'B', companyId: MISSING },
    });
    expect(company.statusCode).toBe(422);
    expect(company.json()).toMatchObject({ code: 'invalid_reference', details: [{ path: 'companyId' }] });
  });

  it('updates only the given fields and clears one with null', async () => {
    const response = await h.call('PATCH', `/v1/contacts/${ACME.contact(3)}`, {
      key: write,
      body: { jobTitle: 'Chief Revenue Officer', mobilePhone: null },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({
      id: ACME.contact(3),
      jobTitle: 'Chief Revenue Officer',
      mobilePhone: null,
    });
    expect((await h.call('PATCH', `/v1/contacts/${MISSING}`, { key: write, body: { jobTitle: 'x' } })).statusCode).toBe(
      404,
    );
    expect((await h.call('PATCH', `/v1/contacts/${ACME.contact(3)}`, { key: write, body: {} })).statusCode).toBe(422);
    const taken = (await h.call('GET', `/v1/contacts/${ACME.contact(4)}`, { key: write })).json().data
      .professionalEmail;
    const clash = await h.call('PATCH', `/v1/contacts/${ACME.contact(3)}`, {
      key: write,
      body: { professionalEmail: taken },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('conflict');
  });

  it('needs CONTACTS_WRITE to write, even with CONTACTS_READ', async () => {
    const response = await h.call('PATCH', `/v1/contacts/${ACME.contact(3)}`, { key: read, body: { jobTitle: 'x' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'insufficient_scope',
      message: 'Missing required scope: CONTACTS_WRITE',
    });
  });
});
