// Batched usage writes against a real database: a row the database refuses is dropped and logged
// without holding back the others, and rows that failed because the database was unreachable wait
// (a bounded number of them) for the next flush.
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb, type Db } from '@enginy/db/client';
import { recordMcpUsage, type ToolUsage } from '@enginy/db/queries/oauth-grants';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchedWrites } from '../../src/jobs/batched-writes.ts';
import { UsageRecorder } from '../../src/mcp/usage.ts';
import { mintAccessToken } from '../helpers/oauth-token.ts';

let t: TestDatabase;
let unreachable: Db;
let grants: string[];
let logged: Record<string, unknown>[];
let log: FastifyBaseLogger;

beforeAll(async () => {
  t = await createTestDatabase();
  unreachable = createDb('postgres://nobody:x@127.0.0.1:1/none');
  const config = testConfig(t.url);
  grants = await Promise.all(
    [1, 2, 3].map(async () => (await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] })).grantId),
  );
  // The app's own logger (pino), writing into `logged`.
  log = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => logged.push(JSON.parse(line)) } } }).log;
});
beforeEach(() => {
  logged = [];
});
afterAll(async () => {
  await unreachable?.destroy();
  await t?.drop();
});

const usageOf = (grantId: string) =>
  t.db.selectFrom('mcp_tool_usage').select(['tool', 'calls']).where('grant_id', '=', grantId).orderBy('tool').execute();

describe('BatchedWrites', () => {
  it('a poisoned batch does not block later flushes: the rows the database refuses are dropped and logged, the others written', async () => {
    const [good, victim] = grants as [string, string];
    const usage = new UsageRecorder(t.db, log);
    usage.record(good, 'search_contacts');
    // What the database refuses: a NUL in text (22021), an index entry past 2,704 bytes (54000,
    // incompressible), a grant deleted since the call (23503).
    usage.record(victim, 'get\u0000contact');
    usage.record(victim, randomBytes(3_000).toString('base64url'));
    usage.record(randomUUID(), 'list_lists');
    usage.record(victim, 'list_lists');
    await usage.flush();
    expect(await usageOf(good)).toEqual([{ tool: 'search_contacts', calls: 1 }]);
    expect(await usageOf(victim)).toEqual([{ tool: 'list_lists', calls: 1 }]);
    expect(logged).toEqual([
      expect.objectContaining({ level: 40, msg: 'MCP usage: dropped rows the database refuses', dropped: 3 }),
    ]);
    const dropped = logged[0]?.rows as { grantId: string; tool: string; code: string }[];
    expect(dropped.map((row) => row.code).sort()).toEqual(['22021', '23503', '54000']);
    // Logged short: not the 4,000 characters a client sent.
    expect(dropped.every((row) => row.tool.length < 100)).toBe(true);

    // The next flushes write as if nothing had happened.
    logged = [];
    usage.record(good, 'search_contacts');
    usage.record(victim, 'list_lists');
    await usage.flush();
    usage.record(good, 'mcp_whoami');
    await usage.close();
    expect(await usageOf(good)).toEqual([
      { tool: 'mcp_whoami', calls: 1 },
      { tool: 'search_contacts', calls: 2 },
    ]);
    expect(await usageOf(victim)).toEqual([{ tool: 'list_lists', calls: 2 }]);
    expect(logged).toEqual([]);
  });

  // A generic kind writing tool usage into whichever database `target` is at the time.
  function usageWrites(target: () => Db, maxKept?: number) {
    return new BatchedWrites<Map<string, ToolUsage>, ToolUsage>(
      {
        what: 'test usage',
        empty: () => new Map(),
        rows: (batch) => [...batch.values()],
        write: (rows) => recordMcpUsage(target(), rows, new Map()),
        keep: (row, into) => {
          const current = into.get(row.tool);
          if (current) current.calls += row.calls;
          else into.set(row.tool, row);
        },
        describe: (row) => ({ tool: row.tool }),
      },
      log,
      60_000,
      maxKept,
    );
  }
  /** One call of `tool`, counted into the batch being filled. */
  const record = (writes: ReturnType<typeof usageWrites>, grantId: string, tool: string) => {
    const current = writes.current.get(tool);
    if (current) current.calls += 1;
    else writes.current.set(tool, { grantId, tool, calls: 1, lastCalledAt: new Date() });
  };

  it('rows that failed because the database was unreachable are kept, and written once it is back', async () => {
    const grantId = grants[2] as string;
    let db = unreachable;
    const writes = usageWrites(() => db);
    record(writes, grantId, 'a');
    record(writes, grantId, 'b');
    await writes.flush();
    expect(logged).toEqual([
      expect.objectContaining({ msg: 'test usage not written yet; will retry', kept: 2, dropped: 0 }),
    ]);
    record(writes, grantId, 'a');
    db = t.db;
    await writes.flush();
    expect(await usageOf(grantId)).toEqual([
      { tool: 'a', calls: 2 },
      { tool: 'b', calls: 1 },
    ]);
  });

  it('keeps at most maxKept rows for the next flush while the database is unreachable, and says how many it dropped', async () => {
    const grantId = grants[2] as string;
    let db = unreachable;
    const writes = usageWrites(() => db, 2);
    for (const tool of ['c', 'd', 'e']) record(writes, grantId, tool);
    await writes.flush();
    expect(logged).toEqual([
      expect.objectContaining({ msg: 'test usage not written yet; will retry', kept: 2, dropped: 1 }),
    ]);
    db = t.db;
    await writes.flush();
    expect((await usageOf(grantId)).map((r) => r.tool).filter((tool) => 'cde'.includes(tool))).toEqual(['c', 'd']);
  });
});
