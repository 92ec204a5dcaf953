import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';
import { ACME } from './helpers/seed-ids.ts';

// Table-driven over the served document, so an operation added later is covered without a new
// test: the scope the document states is the one the gate enforces, and every input is validated.

type Operation = { 'x-required-scope'?: string; requestBody?: unknown; parameters?: { in: string; name: string }[] };

let h: Harness;
let operations: { method: string; path: string; scope: string; op: Operation }[];
beforeAll(async () => {
  h = await startHarness();
  const doc = (await h.call('GET', '/definitions.json')).json() as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      op,
      scope: op['x-required-scope'] ?? '',
    })),
  );
});
afterAll(() => h.close());

const fill = (path: string, value = ACME.contact(0)) => path.replace(/\{\w+\}/g, value);

describe('every documented operation', () => {
  it('answers 401 without a key', async () => {
    for (const { method, path } of operations) {
      expect((await h.call(method as 'GET', fill(path))).statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('answers 403 naming exactly the documented scope to a key without it, and lets that scope through', async () => {
    const unrelated = await h.key(['ANALYTICS_READ']); // no operation here needs it
    for (const { method, path, scope } of operations) {
      const denied = await h.call(method as 'GET', fill(path), { key: unrelated, body: {} });
      expect(denied.statusCode, `${method} ${path}`).toBe(403);
      expect(denied.json().message, `${method} ${path}`).toBe(`Missing required scope: ${scope}`);
      const allowed = await h.call(method as 'GET', fill(path), { key: await h.key([scope]), body: {} });
      expect(allowed.statusCode, `${method} ${path} with ${scope}`).not.toBe(403);
    }
  });

  it('answers 422 with a field path for invalid input in each place it takes input', async () => {
    const key = await h.key(['ALL']);
    let checked = 0;
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      if (path.includes('{')) {
        const response = await h.call(method as 'GET', fill(path, 'not-a-uuid'), { key, body: {} });
        expect(response.statusCode, where).toBe(422);
        expect(response.json().details[0].path, where).toMatch(/^params\./);
        checked++;
      }
      if (op.requestBody) {
        const response = await h.call(method as 'GET', fill(path), { key, body: { unexpectedField: 1 } });
        expect(response.statusCode, where).toBe(422);
        expect(response.json().code, where).toBe('validation_error');
        checked++;
      }
      if (op.parameters?.some((p) => p.in === 'query' && p.name === 'pageSize')) {
        const response = await h.call(method as 'GET', `${fill(path)}?pageSize=101`, { key });
        expect(response.statusCode, where).toBe(422);
        expect(response.json().details[0].path, where).toBe('query.pageSize');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
