import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let read: string;
let write: string;
beforeAll(async () => {
  h = await startHarness();
  read = await h.key(['COMPANIES_READ']);
  write = await h.key(['COMPANIES_WRITE']);
});
afterAll(() => h.close());

describe('companies', () => {
  it('searches by name and size, with contact counts', async () => {
    const all = (await h.call('POST', '/v1/companies/search', { key: read, body: { pageSize: 100 } })).json();
    expect(all.meta.total).toBeGreaterThanOrEqual(40);
    const nimbus = (
      await h.call('POST', '/v1/companies/search', { key: read, body: { filters: { search: 'nimbus' } } })
    ).json();
    expect(nimbus.data.length).toBeGreaterThan(0);
    expect(nimbus.data.every((c: { name: string }) => c.name.includes('Nimbus'))).toBe(true);
    const big = (
      await h.call('POST', '/v1/companies/search', {
        key: read,
        body: { filters: { minEmployees: 1000 }, pageSize: 100 },
      })
    ).json();
    expect(big.data.every((c: { employeeCount: number }) => c.employeeCount >= 1000)).toBe(true);
    expect(
      all.data.reduce((sum: number, c: { contactCount: number }) => sum + c.contactCount, 0),
    ).toBeGreaterThanOrEqual(400);
  });

  it('gets one company, 404 for an unknown one', async () => {
    expect((await h.call('GET', `/v1/companies/${ACME.company(0)}`, { key: read })).json().data.id).toBe(
      ACME.company(0),
    );
    expect((await h.call('GET', `/v1/companies/${MISSING}`, { key: read })).statusCode).toBe(404);
  });

  it('creates a company, and a second one with the same domain is a 409', async () => {
    const body = { name: 'Initech', domain: 'initech.example', employeeCount: 120, country: 'US' };
    const created = await h.call('POST', '/v1/companies', { key: write, body });
    expect(created.statusCode).toBe(201);
    expect(created.json().data).toMatchObject({ name: 'Initech', contactCount: 0 });
    expect(
      (await h.call('POST', '/v1/companies', { key: write, body: { ...body, domain: 'INITECH.example' } })).statusCode,
    ).toBe(409);
  });

  it('validates the body and needs COMPANIES_WRITE', async () => {
    const invalid = await h.call('POST', '/v1/companies', { key: write, body: { name: 'X', employeeCount: -1 } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().details[0].path).toBe('employeeCount');
    const denied = await h.call('POST', '/v1/companies', { key: read, body: { name: 'X' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toContain('COMPANIES_WRITE');
  });
});
