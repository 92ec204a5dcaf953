// Generated arguments (fast-check) for every tool of the catalogue: arbitrary JSON in pathParams,
// query and body, under the tool's own parameter names and others, objects that look like
// `{ toString: 1 }` included. Whatever they are, the answer is a result or a tool error: never a
// JSON-RPC error (-32603 is a JavaScript exception), never a 5xx behind the tool, never a crash.
// MCP_ARGUMENT_RUNS (per tool) and MCP_ARGUMENT_SEED widen or replay a run.
import { SEED_IDS } from '@enginy/db/seed';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedTool } from '../../src/mcp/tool-catalogue.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

const RUNS = Number(process.env.MCP_ARGUMENT_RUNS ?? 15);
const SEED = Number(process.env.MCP_ARGUMENT_SEED ?? Date.now() % 1_000_000);

// Keys an object is converted to text by: the objects String() trips on. (`__proto__` is left to
// fast-check's own strings: Fastify's JSON parser refuses it at the door, a 400 before MCP runs.)
const trickyKeys = fc.constantFrom('toString', 'valueOf', 'toJSON', 'constructor', 'length');
const json = fc.jsonValue({ maxDepth: 3 });
const value = fc.oneof(
  { weight: 4, arbitrary: json },
  { weight: 3, arbitrary: fc.dictionary(trickyKeys, json, { minKeys: 1, maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.array(fc.dictionary(trickyKeys, json, { maxKeys: 1 }), { maxLength: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom(SEED_IDS.admin, '..', '.', '%2e%2e', 'a/b', '', 0, -1, true) },
);

/** A part of the arguments: an object with the tool's own names and others, or something else entirely. */
function part(names: string[]): fc.Arbitrary<unknown> {
  const own = fc.record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] });
  const other = fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), trickyKeys), value, { maxKeys: 2 });
  const object = fc.tuple(own, other).map(([a, b]) => ({ ...b, ...a }));
  return fc.oneof({ weight: 6, arbitrary: object }, { weight: 1, arbitrary: json });
}

/** Arguments under the parts the tool takes, now and then a JSON object of other names entirely. */
function argumentsFor(tool: GeneratedTool): fc.Arbitrary<Record<string, unknown>> {
  const parts = Object.entries(tool.inputSchema.properties).map(([key, schema]) => {
    const names = Object.keys((schema as { properties?: object }).properties ?? {});
    return [key, key === 'body' ? value : part(names)] as const;
  });
  return fc.oneof(
    { weight: 9, arbitrary: fc.record(Object.fromEntries(parts), { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), value, { maxKeys: 3 }) },
  );
}

let h: Harness;
let token = '';
let calls = 0;
beforeAll(async () => {
  h = await startHarness();
  await h.t.db
    .updateTable('workspace_mcp_settings')
    .set({ policy_scopes: ['ALL'] })
    .where('workspace_id', '=', SEED_IDS.acme)
    .execute();
});
afterAll(() => h.close());

async function callTool(name: string, args: unknown) {
  // A fresh grant every 15 calls: each is its own rate-limit bucket (20 a minute is the lowest limit).
  if (calls++ % 15 === 0) token = (await mintAccessToken(h.t.db, h.config, { scopes: ['ALL'] })).token;
  return h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(rpc('tools/call', { name, arguments: args })),
  });
}

describe(`every tool with generated arguments (seed ${SEED}, ${RUNS} runs a tool)`, () => {
  it('answers a result or a tool error, never a JSON-RPC error or a 5xx', async () => {
    const tools = h.app.mcpTools();
    expect(tools.length).toBeGreaterThan(20);
    for (const tool of tools) {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool), async (args) => {
          const response = await callTool(tool.name, args);
          // 400: a body Fastify's parser refuses (prototype poisoning), before the MCP endpoint runs.
          expect([200, 400], response.body).toContain(response.statusCode);
          if (response.statusCode === 400) {
            expect(response.json().code).toBe('invalid_json');
            return;
          }
          const answer = response.json();
          expect(answer.error, `${tool.name} ${JSON.stringify(args)}`).toBeUndefined();
          const text: string = answer.result.content[0].text;
          if (answer.result.isError) expect(text, `${tool.name} ${JSON.stringify(args)}`).not.toMatch(/HTTP 5\d\d/);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    // Still up, and still right: a valid call answers with data.
    const alive = (await callTool('get_credits', {})).json();
    expect(alive.result.structuredContent.data.balance).toEqual(expect.any(Number));
  }, 60_000);
});
