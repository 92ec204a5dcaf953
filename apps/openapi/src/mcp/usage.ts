import type { Db } from '@enginy/db/client';
import { recordMcpUsage, type ToolUsage } from '@enginy/db/queries/oauth-grants';
import type { FastifyBaseLogger } from 'fastify';
import { BatchedWrites } from '../jobs/batched-writes.ts';

interface UsageBatch {
  /** Per grant and tool (key `grantId\0tool`). */
  usage: Map<string, ToolUsage>;
  /** Per grant. */
  lastUsed: Map<string, Date>;
}

type UsageRow = { calls: ToolUsage } | { grantId: string; at: Date };

const key = (grantId: string, tool: string) => `${grantId}\u0000${tool}`;

/**
 * Counts MCP calls per grant and tool and moves each grant's last use, written in one batch every
 * `intervalMs`: the hot path never waits for a write, and the console is at most one interval behind.
 * The endpoint records only tools of its catalogue, so the rows are bounded by grants × tools.
 */
export class UsageRecorder extends BatchedWrites<UsageBatch, UsageRow> {
  constructor(db: Db, log: FastifyBaseLogger, intervalMs?: number, maxKept?: number) {
    super(
      {
        what: 'MCP usage',
        empty: () => ({ usage: new Map(), lastUsed: new Map() }),
        rows: (batch) => [
          ...[...batch.usage.values()].map((calls) => ({ calls })),
          ...[...batch.lastUsed].map(([grantId, at]) => ({ grantId, at })),
        ],
        write: (rows) => {
          const usage: ToolUsage[] = [];
          const lastUsed = new Map<string, Date>();
          for (const row of rows) {
            if ('calls' in row) usage.push(row.calls);
            else lastUsed.set(row.grantId, row.at);
          }
          return recordMcpUsage(db, usage, lastUsed);
        },
        keep: (row, into) => {
          if (!('calls' in row)) {
            if (!into.lastUsed.has(row.grantId)) into.lastUsed.set(row.grantId, row.at);
            return;
          }
          const current = into.usage.get(key(row.calls.grantId, row.calls.tool));
          if (current) current.calls += row.calls.calls;
          else into.usage.set(key(row.calls.grantId, row.calls.tool), row.calls);
        },
        describe: (row) =>
          'calls' in row
            ? { grantId: row.calls.grantId, tool: short(row.calls.tool), calls: row.calls.calls }
            : { grantId: row.grantId, lastUsed: true },
      },
      log,
      intervalMs,
      maxKept,
    );
  }

  /** Any authenticated MCP request moves last-used; a call of a catalogue tool also counts for its tool. */
  record(grantId: string, tool?: string): void {
    const now = new Date();
    const { usage, lastUsed } = this.current;
    lastUsed.set(grantId, now);
    if (tool === undefined) return;
    const entry = usage.get(key(grantId, tool));
    if (entry) {
      entry.calls += 1;
      entry.lastCalledAt = now;
    } else {
      usage.set(key(grantId, tool), { grantId, tool, calls: 1, lastCalledAt: now });
    }
  }
}

/** A tool name as logged: catalogue names are at most 64 characters, anything longer is cut. */
function short(tool: string): string {
  return tool.length <= 64 ? tool : `${tool.slice(0, 64)}… (${tool.length} characters)`;
}
