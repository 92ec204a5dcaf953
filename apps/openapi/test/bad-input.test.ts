import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';
import { ACME } from './helpers/seed-ids.ts';

// Whatever a client sends, the answer is a 4xx in the error envelope, never a 500.

type Operation = {
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  parameters?: { in: string; name: string }[];
};

const BAD_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 53 + 1,
  1e300,
  '',
  ' ',
  'x'.repeat(30_000),
  'nul\u0000byte',
  '😀🚀 عربى 中文 \u202e',
  '%00',
  "'; drop table contacts; --",
  '00000000-0000-0000-0000-000000000000',
  [],
  [null],
  ['not-a-uuid'],
  Array.from({ length: 500 }, (_, i) => i),
  {},
  { $ne: 1 },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

const RAW_BODIES: { payload: string; type: string }[] = [
  { payload: '{"page":', type: 'application/json' },
  { payload: '{"page":1e400}', type: 'application/json' },
  { payload: '{"page":1', type: 'application/json' },
  { payload: '', type: 'application/json' },
  { payload: 'null', type: 'application/json' },
  { payload: '[]', type: 'application/json' },
  { payload: '"text"', type: 'application/json' },
  { payload: '123', type: 'application/json' },
  { payload: '{"__proto__":{"polluted":true}}', type: 'application/json' },
  { payload: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, type: 'application/json' },
  { payload: 'name=x', type: 'application/x-www-form-urlencoded' },
  { payload: '<xml/>', type: 'text/xml' },
  { payload: '{"name":"x"}', type: 'text/plain' },
  { payload: '\u00ff\u00fe', type: 'application/json; charset=utf-16' },
];

const BAD_PARAMS = [
  'not-a-uuid',
  '1',
  '00000000-0000-0000-0000-00000000000g',
  'x'.repeat(2000),
  '%F0%9F%98%80',
  '%00',
  '..%2F..%2Fetc',
  `${ACME.contact(0)}%20`,
];

const BAD_QUERIES = [
  'page=-1',
  'page=abc',
  'page=1e20',
  'pageSize=0',
  'pageSize=99999999999999999999',
  'page[]=1&page[]=2',
  'search=%00',
  'search=%FF',
  'archived=maybe',
  'status=null',
  `search=${'x'.repeat(5000)}`,
  'senderIdentityId=nope',
  'page=1&page=2',
];

let h: Harness;
let operations: { method: string; path: string; op: Operation }[];
beforeAll(async () => {
  h = await startHarness();
  const doc = (await h.call('GET', '/definitions.json')).json() as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(() => h.close());

/** The path with every `{param}` filled with a real seeded id (or with `value`). */
const fill = (path: string, value?: string) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, name: string) =>
      value ?? (name === 'listId' ? ACME.list(0) : name === 'campaignId' ? ACME.campaign(1) : ACME.contact(0)),
  );

describe('bad input never causes a 500', () => {
  it('covers every documented operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(22);
  });

  it('bodies: wrong types, huge numbers, unicode, nulls, arrays for objects, invalid JSON, wrong content types', async () => {
    const failures: string[] = [];
    for (const { method, path, op } of operations) {
      const key = await h.key(['ALL']);
      const url = fill(path);
      const check = async (label: string, payload: string, type: string) => {
        const response = await h.app.inject({
          method: method as 'POST',
          url,
          payload,
          headers: { 'x-api-key': key, 'content-type': type },
        });
        if (response.statusCode >= 500 || (response.statusCode >= 400 && response.json().status !== 'error'))
          failures.push(`${method} ${url} ${label} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      };
      if (method === 'GET') continue;
      for (const raw of RAW_BODIES) await check(`raw ${raw.payload.slice(0, 30)}`, raw.payload, raw.type);
      for (const value of BAD_VALUES)
        await check(`body ${JSON.stringify(value)?.slice(0, 30)}`, JSON.stringify(value) ?? 'null', 'application/json');
      const properties = Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {});
      for (const property of properties) {
        for (const value of BAD_VALUES) {
          await check(
            `${property}=${JSON.stringify(value)?.slice(0, 30)}`,
            JSON.stringify({ [property]: value }),
            'application/json',
          );
          // The same value with everything else present, so it reaches the database if the schema lets it.
          await check(
            `${property}=${JSON.stringify(value)?.slice(0, 30)} in a full body`,
            JSON.stringify({ ...validBody(path), [property]: value }),
            'application/json',
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('path parameters and query strings: bad uuids, unicode, NUL, overlong, repeated, wrong types', async () => {
    const failures: string[] = [];
    for (const { method, path } of operations) {
      const key = await h.key(['ALL']);
      const urls = [
        ...(path.includes('{') ? BAD_PARAMS.map((value) => fill(path, value)) : []),
        ...BAD_QUERIES.map((query) => `${fill(path)}?${query}`),
      ];
      for (const url of urls) {
        const response = await h.app.inject({
          method: method as 'GET',
          url,
          headers: { 'x-api-key': key },
          ...(method === 'GET' ? {} : { payload: validBody(path) }),
        });
        if (response.statusCode >= 500)
          failures.push(`${method} ${url.slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('headers: odd credentials and content types', async () => {
    const failures: string[] = [];
    const values = [
      '',
      ' ',
      'gsk_',
      `gsk_${'x'.repeat(43)}`,
      `gsk_${'x'.repeat(5000)}`,
      'Bearer gsk_abc',
      '\u00e9\u00e8',
    ];
    for (const { method, path } of operations) {
      for (const value of values) {
        const response = await h.app.inject({
          method: method as 'GET',
          url: fill(path),
          headers: { 'x-api-key': value },
        });
        if (response.statusCode !== 401)
          failures.push(`${method} ${path} x-api-key=${value.slice(0, 20)} → ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

/** A body that passes validation for each write operation, so one bad field is all that is wrong. */
function validBody(path: string): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    '/v1/contacts/search': { filters: {}, page: 1, pageSize: 5 },
    '/v1/contacts': { firstName: 'Ada', lastName: 'Lovelace' },
    '/v1/contacts/{contactId}': { jobTitle: 'Engineer' },
    '/v1/companies/search': { page: 1 },
    '/v1/companies': { name: 'Fuzz Co' },
    '/v1/lists': { name: 'Fuzz list' },
    '/v1/lists/{listId}/contacts': { contactIds: [ACME.contact(0)] },
    '/v1/lists/{listId}/contacts/remove': { contactIds: [ACME.contact(0)] },
    '/v1/campaigns': { name: 'Fuzz', steps: [{ type: 'end' }] },
    '/v1/campaigns/{campaignId}/status': { status: 'PAUSED' },
    '/v1/campaigns/{campaignId}/contacts': { contactIds: [ACME.contact(0)] },
    '/v1/inbox/messages': {
      contactId: ACME.contact(0),
      senderIdentityId: ACME.identity(1),
      type: 'EMAIL',
      message: 'Hi',
    },
    '/v1/actions': { type: 'VERIFY_LEAD_EMAIL', contactIds: [ACME.contact(0)] },
  };
  return bodies[path] ?? {};
}
