import { Validator } from '@seriousme/openapi-schema-validator';
import { SCOPE_LIST } from '@enginy/policy/scopes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';

type Operation = {
  summary?: string;
  operationId?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { in: string; name: string; schema: unknown }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

let h: Harness;
let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
let operations: { method: string; path: string; op: Operation }[];
beforeAll(async () => {
  h = await startHarness();
  doc = (await h.call('GET', '/definitions.json')).json();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method, path, op })));
});
afterAll(() => h.close());

describe('/definitions.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every /v1 operation the app serves, and nothing else', () => {
    expect(operations).toHaveLength(24);
    expect(operations.every(({ path }) => path.startsWith('/v1/'))).toBe(true);
    for (const { method, path } of operations) {
      expect(h.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
    }
  });

  it('gives every operation a distinct short summary, a required scope, a rate limit, a tag and schemas', () => {
    const summaries = operations.map(({ op }) => op.summary);
    expect(new Set(summaries).size).toBe(operations.length);
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toMatch(/^[A-Z][a-z]+( [a-zA-Z]+){1,4}$/);
      const scope = op.description?.match(/\*\*Required scope:\*\* ([A-Z_]+)/)?.[1];
      expect(SCOPE_LIST, where).toContain(scope);
      expect(op.description, where).toMatch(/\*\*Rate limit:\*\* \d+ requests per minute/);
      expect(op.tags?.length, where).toBe(1);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      expect(success?.[1].content?.['application/json']?.schema, where).toBeDefined();
      for (const status of ['401', '403', '429', '500', '503']) expect(op.responses[status]?.content?.['application/json']?.schema, `${where} ${status}`).toBeDefined();
      if (method === 'post' || method === 'patch') expect(op.requestBody?.content['application/json']?.schema, where).toBeDefined();
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name && p.schema), `${where} ${name}`).toBe(true);
      }
    }
  });

  it('declares the x-api-key scheme', async () => {
    const full = (await h.call('GET', '/definitions.json')).json();
    expect(full.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
  });
});

describe('/docs', () => {
  it('serves the API reference with its assets from this server (works offline)', async () => {
    const page = await h.call('GET', '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset, 'no asset from another host').not.toMatch(/^(https?:)?\/\//);
      const url = asset.startsWith('/') ? asset : `/docs/${asset.replace(/^\.\//, '')}`;
      expect((await h.call('GET', url)).statusCode, url).toBe(200);
    }
  });
});
