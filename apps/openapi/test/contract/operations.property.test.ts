import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME } from '../helpers/seed-ids.ts';
import {
  type DocumentedOperation,
  documentAccepts,
  documentProblem,
  type OpenApi,
  operationsOf,
  type Schema,
} from './document.ts';
import { arbitrary, type IdsFor } from './schema-arbitrary.ts';

// The served document as a contract, over every operation in it: inputs generated from the document
// (fast-check), answers checked against it (the test's own Ajv). A status the operation does not
// document, a body that does not match its schema, schema-valid input refused, a "required" input
// the server does without, or a refusal the document does not state: each one is a failure.
// CONTRACT_RUNS (per operation) and CONTRACT_SEED widen or replay a run.

const RUNS = Number(process.env.CONTRACT_RUNS ?? 12);
const SEED = Number(process.env.CONTRACT_SEED ?? Date.now() % 1_000_000);

// Refusals of schema-valid input that depend on stored rows, so no schema can state them: each must
// be stated in its operation's description (checked below), and only these may answer 422 to valid input.
const STATED_RULES: Record<string, { path: RegExp; says: string }[]> = {
  'POST /v1/campaigns': [
    { path: /^steps(\[\d+\]\.on(True|False))*\[\d+\]\.type$/, says: '`end` only as the last step of its branch' },
  ],
  'POST /v1/inbox/messages': [
    { path: /^type$/, says: 'a channel of the sender identity' },
    { path: /^contactId$/, says: 'a contact with a professional email' },
    { path: /^subject$/, says: 'a LINKEDIN message has no subject' },
  ],
};

// Real rows for id fields, by name, so generated calls also reach their success paths.
const range = (n: number, id: (i: number) => string) => Array.from({ length: n }, (_, i) => id(i));
const POOLS: Record<string, string[]> = {
  contact: range(10, ACME.contact),
  company: range(6, ACME.company),
  list: range(6, ACME.list),
  campaign: range(5, ACME.campaign),
  identity: range(3, ACME.identity),
  owner: range(4, ACME.owner),
  action: [], // one started in beforeAll
};
const ids: IdsFor = (field = '') => {
  const kind = /^contact/.test(field)
    ? 'contact'
    : /^company/.test(field)
      ? 'company'
      : /^list/.test(field)
        ? 'list'
        : /^campaign/.test(field)
          ? 'campaign'
          : /Identity/.test(field)
            ? 'identity'
            : /^owner/.test(field)
              ? 'owner'
              : /^actions/.test(field)
                ? 'action'
                : undefined;
  const pool = kind ? (POOLS[kind] as string[]) : Object.values(POOLS).flat();
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() });
};

interface Input {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

const inputs = (op: DocumentedOperation): fc.Arbitrary<Input> =>
  fc.record({
    params: fc.record(Object.fromEntries(op.params.map((p) => [p.name, arbitrary(p.schema, ids, p.name)]))),
    query: fc.record(Object.fromEntries(op.query.map((p) => [p.name, arbitrary(p.schema, ids, p.name)])), {
      requiredKeys: op.query.filter((p) => p.required).map((p) => p.name),
    }),
    ...(op.body ? { body: arbitrary(op.body, ids) } : {}),
  }) as fc.Arbitrary<Input>;

let h: Harness;
let operations: DocumentedOperation[];
let sent = 0;
let key = '';
beforeAll(async () => {
  h = await startHarness();
  operations = operationsOf((await h.call('GET', '/definitions.json')).json() as OpenApi);
  const started = await h.call('POST', '/v1/actions', {
    key: await h.key(['ALL']),
    body: { type: 'VERIFY_LEAD_EMAIL', contactIds: [ACME.contact(0)] },
  });
  POOLS.action?.push(started.json().data.actionsId);
});
afterAll(() => h.close());

/** The request `input` describes, with an API key of every scope (a fresh one every 15 calls: the per-key rate limits). */
async function send(
  op: DocumentedOperation,
  input: Input,
  raw?: { payload: string; type: string },
): Promise<LightMyRequestResponse> {
  if (sent++ % 15 === 0) key = await h.key(['ALL']);
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(input.params[name])));
  const query = new URLSearchParams(
    Object.entries(input.query).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  const payload = raw?.payload ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  return h.app.inject({
    method: op.method as 'GET',
    url: query ? `${path}?${query}` : path,
    headers: {
      'x-api-key': key,
      ...(payload === undefined ? {} : { 'content-type': raw?.type ?? 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload }),
  });
}

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 160);

/** What is wrong with `response` as an answer of `op`: an undocumented status, or a body its schema refuses. */
function undocumented(op: DocumentedOperation, response: LightMyRequestResponse): string | undefined {
  const where = `${op.method} ${op.path} → ${response.statusCode}`;
  const documented = op.op.responses[String(response.statusCode)];
  if (documented === undefined) return `${where}: status not documented (${response.body.slice(0, 120)})`;
  const schema = documented.content?.['application/json']?.schema;
  if (schema === undefined) return undefined;
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return `${where}: not JSON: ${response.body.slice(0, 80)}`;
  }
  const problem = documentProblem(schema, body);
  return problem && `${where}: body does not match its schema (${problem}): ${response.body.slice(0, 160)}`;
}

/** Schema-valid input may be refused only for a missing row (invalid_reference) or a stated rule. */
function refusedValid(op: DocumentedOperation, response: LightMyRequestResponse, input: Input): string | undefined {
  if (response.statusCode !== 400 && response.statusCode !== 422) return undefined;
  const { code, details, message } = response.json() as { code: string; message: string; details?: { path: string }[] };
  if (code === 'invalid_reference') return undefined;
  const path = details?.[0]?.path ?? '';
  if (code === 'validation_error' && STATED_RULES[`${op.method} ${op.path}`]?.some((rule) => rule.path.test(path)))
    return undefined;
  return `${op.method} ${op.path} → ${response.statusCode} ${code} "${message}" for valid input ${show(input)}`;
}

describe(`every operation of the served document under generated input (seed ${SEED})`, () => {
  it('covers every operation, and states each rule that refuses schema-valid input', () => {
    expect(operations.length).toBeGreaterThanOrEqual(24);
    for (const [operation, rules] of Object.entries(STATED_RULES)) {
      const op = operations.find(({ method, path }) => `${method} ${path}` === operation);
      for (const rule of rules) expect(op?.op.description, operation).toContain(rule.says);
    }
  });

  it('valid input: every answer is documented and matches its schema, and none refuses the input', async () => {
    const failures: string[] = [];
    const succeeded = new Set<string>();
    for (const op of operations) {
      for (const input of fc.sample(inputs(op), { numRuns: RUNS, seed: SEED })) {
        const response = await send(op, input);
        if (response.statusCode < 300) succeeded.add(`${op.method} ${op.path}`);
        const problem = undocumented(op, response) ?? refusedValid(op, response, input);
        if (problem) failures.push(problem);
      }
    }
    expect(failures).toEqual([]);
    // The inputs reach the operations themselves, not only their refusals.
    expect(succeeded.size).toBeGreaterThanOrEqual(operations.length * 0.75);
  }, 60_000);

  it('required means required: the server refuses a request without each input the document requires', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const [input] = fc.sample(inputs(op), { numRuns: 1, seed: SEED }) as [Input];
      const without: [string, Input][] = op.query
        .filter((p) => p.required)
        .map((p) => [`query ${p.name}`, { ...input, query: omit(input.query, p.name) }]);
      const body = input.body as Record<string, unknown> | undefined;
      for (const name of (op.body?.required ?? []) as string[])
        without.push([`body.${name}`, { ...input, body: omit(body ?? {}, name) }]);
      for (const [what, request] of without) {
        const response = await send(op, request);
        const problem = undocumented(op, response);
        if (problem) failures.push(problem);
        else if (response.statusCode !== 422)
          failures.push(
            `${op.method} ${op.path}: ${what} is documented as required, yet the server answered ${response.statusCode} without it`,
          );
      }
    }
    expect(failures).toEqual([]);
  }, 30_000);

  it('NUL in any string input: refused by the document exactly when the server refuses it', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const [input] = fc.sample(inputs(op), { numRuns: 1, seed: SEED }) as [Input];
      const cases: [string, Input, boolean][] = [];
      for (const param of op.query.filter((p) => p.schema.type === 'string' && !p.schema.format && !p.schema.enum)) {
        const value = 'a\u0000b';
        cases.push([
          `query ${param.name}`,
          { ...input, query: { ...input.query, [param.name]: value } },
          documentAccepts(param.schema, value),
        ]);
      }
      if (op.body)
        for (const [where, body] of withNul(fullBody(op.body)))
          cases.push([where, { ...input, body }, documentAccepts(op.body, body)]);
      for (const [where, request, stated] of cases) {
        const response = await send(op, request);
        const problem = undocumented(op, response);
        const refused = response.statusCode === 422 && response.json().code === 'validation_error';
        if (problem) failures.push(problem);
        else if (refused && stated)
          failures.push(
            `${op.method} ${op.path}: NUL refused at ${where} (${response.json().message}), but the document accepts it`,
          );
        else if (!refused && !stated)
          failures.push(
            `${op.method} ${op.path}: NUL at ${where} answered ${response.statusCode}, though the document refuses it`,
          );
      }
    }
    expect(failures).toEqual([]);
  }, 30_000);

  it('malformed bodies (a NUL byte, broken JSON, not JSON): each answer is documented for its operation', async () => {
    const failures: string[] = [];
    const bodies = [
      { payload: '\u0000', type: 'application/json' },
      { payload: '{"name":', type: 'application/json' },
      { payload: 'name=x', type: 'application/x-www-form-urlencoded' },
      { payload: '<name/>', type: 'application/xml' },
    ];
    for (const op of operations.filter((op) => op.body)) {
      const [input] = fc.sample(inputs(op), { numRuns: 1, seed: SEED }) as [Input];
      for (const raw of bodies) {
        const response = await send(op, input, raw);
        const problem = undocumented(op, response);
        if (problem) failures.push(`${problem} for ${show(raw.payload)} as ${raw.type}`);
        else if (response.statusCode !== 400 && response.statusCode !== 415)
          failures.push(`${op.method} ${op.path}: ${show(raw.payload)} as ${raw.type} answered ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('email addresses: the server accepts exactly those the document calls valid', async () => {
    const create = operations.find(
      ({ method, path }) => method === 'POST' && path === '/v1/contacts',
    ) as DocumentedOperation;
    const properties = (create.body?.properties ?? {}) as Record<string, { items: Schema }>;
    const email = properties.personalEmails?.items as Schema;
    const candidates = [
      'a@org',
      'x-*9&g9@j.com',
      'ada@example.com',
      'a.b+c@mail.example.co',
      '.a@b.co',
      'a..b@c.de',
      'a@-b.co',
      'a b@c.de',
      '"q"@x.com',
      'ü@x.com',
      'a@x.c',
      'a@1.2',
    ];
    candidates.push(
      ...fc.sample(fc.emailAddress(), { numRuns: 20, seed: SEED }),
      ...fc.sample(arbitrary(email, ids) as fc.Arbitrary<string>, { numRuns: 10, seed: SEED }),
    );
    const disagreements: string[] = [];
    for (const candidate of candidates) {
      const response = await send(create, {
        params: {},
        query: {},
        body: { firstName: 'Email', lastName: 'Check', personalEmails: [candidate] },
      });
      const valid = documentAccepts(email, candidate);
      if ((response.statusCode === 201) !== valid)
        disagreements.push(
          `${show(candidate)}: document ${valid ? 'accepts' : 'refuses'}, server answered ${response.statusCode}`,
        );
    }
    expect(disagreements).toEqual([]);
  });
});

function omit(record: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _left, ...rest } = record;
  return rest;
}

/** One body with every property present (the first branch of each union), to reach every string. */
function fullBody(schema: Schema): unknown {
  const [sample] = fc.sample(arbitrary(everyProperty(schema), ids), { numRuns: 1, seed: SEED });
  return sample;
}

function everyProperty(schema: Schema): Schema {
  const union = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (union) return everyProperty(union.find((branch) => branch.type !== 'null') ?? (union[0] as Schema));
  if (schema.type === 'array')
    return {
      ...schema,
      minItems: Math.max(1, (schema.minItems as number | undefined) ?? 0),
      items: everyProperty(schema.items as Schema),
    };
  if (schema.type !== 'object') return schema;
  const properties = Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, property]) => [
      name,
      everyProperty(property),
    ]),
  );
  return { ...schema, properties, required: Object.keys(properties) };
}

/** `value` with a NUL put into one string at a time, each named by its path. */
function withNul(value: unknown, path = 'body'): [string, unknown][] {
  if (typeof value === 'string') return [[path, `${value}\u0000`]];
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      withNul(item, `${path}[${i}]`).map(
        ([where, changed]) => [where, value.map((v, j) => (j === i ? changed : v))] as [string, unknown],
      ),
    );
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, item]) =>
    withNul(item, `${path}.${name}`).map(
      ([where, changed]) => [where, { ...value, [name]: changed }] as [string, unknown],
    ),
  );
}
