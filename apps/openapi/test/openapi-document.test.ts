import { Validator } from '@seriousme/openapi-schema-validator';
import { SCOPE_LIST } from '@enginy/policy/scopes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';

type Operation = {
  summary?: string;
  operationId?: string;
  description?: string;
  'x-required-scope'?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { in: string; name: string; schema: unknown }[];
  responses: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema: unknown }> }>;
};
type Schema = Record<string, unknown>;

let h: Harness;
let doc: {
  openapi: string;
  info: Record<string, unknown>;
  servers: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content: Record<string, { schema: unknown }> }>;
  };
};
let operations: { method: string; path: string; op: Operation }[];
beforeAll(async () => {
  h = await startHarness();
  doc = (await h.call('GET', '/definitions.json')).json();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );
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
      expect(
        h.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') }),
        `${method} ${path}`,
      ).toBe(true);
    }
  });

  it('gives every operation a distinct short summary, a required scope, a rate limit, a tag and schemas', () => {
    const summaries = operations.map(({ op }) => op.summary);
    expect(new Set(summaries).size).toBe(operations.length);
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toMatch(/^[A-Z][a-z]+( [a-zA-Z]+){1,4}$/);
      const scope = op['x-required-scope'];
      expect(SCOPE_LIST, where).toContain(scope);
      expect(op.description, where).toMatch(/\*\*Rate limit:\*\* \d+ requests per minute/);
      expect(op.tags?.length, where).toBe(1);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      expect(success?.[1].content?.['application/json']?.schema, where).toBeDefined();
      for (const status of ['401', '403', '429', '500', '503'])
        expect(op.responses[status]?.$ref, `${where} ${status}`).toBe('#/components/responses/Error');
      if (method === 'post' || method === 'patch')
        expect(op.requestBody?.content['application/json']?.schema, where).toBeDefined();
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(
          op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name && p.schema),
          `${where} ${name}`,
        ).toBe(true);
      }
    }
  });

  it('documents every error status through the one Error response, each with the codes it can carry', () => {
    expect(doc.components.responses.Error?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['status', 'code', 'message'] });
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const input = op.requestBody !== undefined || (op.parameters?.length ?? 0) > 0;
      for (const [status, response] of Object.entries(op.responses).filter(([status]) => Number(status) >= 400)) {
        expect(response, `${where} ${status}`).toEqual({
          $ref: '#/components/responses/Error',
          description: expect.stringMatching(/^Error: [a-z_]+(, [a-z_]+)*$/),
        });
      }
      // A JSON body can be malformed (400 invalid_json), too large (413) or not JSON (415).
      if (op.requestBody)
        for (const status of ['400', '413', '415'])
          expect(op.responses[status]?.description, `${where} ${status}`).toBeDefined();
      expect(op.responses[400]?.description ?? '', where).toMatch(op.requestBody ? /invalid_json/ : /^$|bad_request/);
      expect(op.responses[422] !== undefined, `${where} 422`).toBe(input);
    }
  });

  it('lists every tag an operation uses, with a description', () => {
    const tags = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const { method, path, op } of operations)
      for (const tag of op.tags ?? []) expect(tags.get(tag), `${method} ${path} ${tag}`).toMatch(/\w+/);
  });

  it('names who provides the API, under which license, at the origin serving the document', () => {
    expect(doc.info.contact).toEqual({ name: 'Enginy', url: 'https://enginy.ai' });
    expect(doc.info.license).toMatchObject({ name: 'Proprietary' });
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('marks nothing that has a default as required (the server fills it in)', () => {
    for (const { method, path, op } of operations) {
      for (const param of op.parameters ?? []) {
        const schema = param.schema as Schema;
        if (schema.default !== undefined)
          expect((param as { required?: boolean }).required, `${method} ${path} ${param.name}`).not.toBe(true);
      }
      const body = op.requestBody?.content['application/json']?.schema as
        | { required?: string[]; properties?: Record<string, Schema> }
        | undefined;
      for (const name of body?.required ?? [])
        expect(body?.properties?.[name]?.default, `${method} ${path} body.${name}`).toBeUndefined();
    }
  });

  it('names each campaign step kind, and maps every `type` to its kind', () => {
    const { schemas } = doc.components;
    const body = doc.paths['/v1/campaigns']?.post?.requestBody?.content['application/json']?.schema as
      | { properties?: { steps?: { items?: unknown } } }
      | undefined;
    expect(body?.properties?.steps?.items).toEqual({ $ref: '#/components/schemas/Step' });
    for (const [union, kinds] of [
      ['Step', 6],
      ['BranchStep', 6],
      ['LeafStep', 5],
    ] as const) {
      const schema = schemas[union] as {
        oneOf: { $ref: string }[];
        discriminator: { propertyName: string; mapping: Record<string, string> };
      };
      expect(schema.oneOf, union).toHaveLength(kinds);
      expect(Object.values(schema.discriminator.mapping).sort(), union).toEqual(
        schema.oneOf.map((branch) => branch.$ref).sort(),
      );
      for (const [type, ref] of Object.entries(schema.discriminator.mapping)) {
        const kind = schemas[ref.replace('#/components/schemas/', '')] as { properties: { type: Schema } };
        expect(kind.properties.type.const ?? (kind.properties.type.enum as string[])[0], `${union} ${type}`).toBe(type);
      }
    }
    expect(schemas.Step && JSON.stringify(schemas.ConditionStep)).toContain('#/components/schemas/BranchStep');
    expect(JSON.stringify(schemas.BranchConditionStep)).toContain('#/components/schemas/LeafStep');
  });

  it('is, references resolved, the very document the MCP tools are generated from', () => {
    const resolve = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(resolve);
      if (typeof node !== 'object' || node === null) return node;
      const { $ref, ...rest } = node as Schema;
      const entries = Object.entries(rest).filter(
        ([key, value]) => !(key === 'discriminator' && typeof value === 'object'),
      );
      const own = Object.fromEntries(entries.map(([key, value]) => [key, resolve(value)]));
      const discriminator = (node as Schema).discriminator as { propertyName: string } | undefined;
      if (discriminator) own.discriminator = { propertyName: discriminator.propertyName };
      if (typeof $ref !== 'string') return own;
      const [, kind, name] = $ref.split('/').slice(1);
      return {
        ...(resolve(
          (doc.components as Record<string, Record<string, unknown>>)[kind as string]?.[name as string],
        ) as Schema),
        ...own,
      };
    };
    expect(resolve(doc.paths)).toEqual(JSON.parse(JSON.stringify(h.app.swagger().paths)));
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
