import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';
import { ACME } from './helpers/seed-ids.ts';

// RFC 9110 §15.5.6: a method the target resource does not support is a 405 whose Allow lists the
// ones it does. And OpenAPI's path matching: a concrete path (`/v1/companies/search`) is matched
// before a templated one (`/v1/companies/{companyId}`), so the first is never taken for an id.

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;

let h: Harness;
let key: string;
let paths: Map<string, string[]>;
beforeAll(async () => {
  h = await startHarness();
  key = await h.key(['ALL']);
  const doc = (await h.call('GET', '/definitions.json')).json() as { paths: Record<string, Record<string, unknown>> };
  paths = new Map(
    Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item).map((method) => method.toUpperCase())]),
  );
});
afterAll(() => h.close());

const fill = (path: string) => path.replace(/\{\w+\}/g, ACME.contact(0));
const allowOf = (methods: string[]) => [...methods].sort().join(', ');

describe('a method a documented path does not support', () => {
  it('answers 405 with Allow naming exactly the methods the document gives the path', async () => {
    const wrong: string[] = [];
    let cases = 0;
    for (const [path, methods] of paths) {
      for (const method of METHODS.filter((m) => !methods.includes(m))) {
        cases++;
        const response = await h.call(method, fill(path), { key });
        const body = method === 'HEAD' ? {} : response.json();
        if (
          response.statusCode !== 405 ||
          response.headers.allow !== allowOf(methods) ||
          (method !== 'HEAD' && body.code !== 'method_not_allowed')
        ) {
          wrong.push(
            `${method} ${path} → ${response.statusCode} allow=${response.headers.allow} ${response.body.slice(0, 80)}`,
          );
        }
      }
    }
    expect(cases).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  });

  it('never takes a concrete path for a template: GET /v1/companies/search is 405 (Allow: POST), not the company "search"', async () => {
    const response = await h.call('GET', '/v1/companies/search', { key });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    // Every such pair: each concrete path that a template of the document also matches.
    const pairs: string[] = [];
    for (const [concrete, own] of paths) {
      for (const [template, theirs] of paths) {
        const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
        if (template === concrete || !template.includes('{') || !pattern.test(concrete)) continue;
        for (const method of theirs.filter((m) => !own.includes(m))) {
          pairs.push(`${method} ${concrete}`);
          const answer = await h.call(method as 'GET', concrete, { key, body: {} });
          expect([answer.statusCode, answer.headers.allow], `${method} ${concrete} (beside ${template})`).toEqual([
            405,
            allowOf(own),
          ]);
        }
      }
    }
    expect(pairs.sort()).toEqual(['GET /v1/companies/search', 'GET /v1/contacts/search', 'PATCH /v1/contacts/search']);
  });

  it('leaves 404 to what does not exist: an unknown path, or a known one whose row is missing', async () => {
    expect((await h.call('GET', '/v1/nothing-here', { key })).statusCode).toBe(404);
    expect((await h.call('DELETE', '/v1/lists/x/y/z', { key })).statusCode).toBe(404);
    expect((await h.call('GET', '/v1/companies/00000000-0000-4000-8000-00000000dead', { key })).json().code).toBe(
      'not_found',
    );
  });

  it('over HTTP too, for a method fetch() may not send (TRACE)', async () => {
    const origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${origin}/v1/lists`, { method: 'TRACE' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe('GET, POST');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'error', code: 'method_not_allowed' });
  });
});
