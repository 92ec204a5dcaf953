import type { Db } from '@enginy/db/client';
import { recordMcpUsage, type ToolUsage } from '@enginy/db/queries/mcp';
import type { FastifyBaseLogger } from 'fastify';
import { BatchedWrites } from '../jobs/batched-writes.ts';

interface UsageBatch {
  /** Per grant and tool (key `grantId\0tool`). */
  usage: Map<string, ToolUsage>;
  /** Per grant. */
  lastUsed: Map<string, Date>;
}

/**
 * Counts MCP calls per grant and tool and moves each grant's last use, written in one batch every
 * `intervalMs`: the hot path never waits for a write, and the console is at most one interval behind.
 */
export class UsageRecorder extends BatchedWrites<UsageBatch> {
  constructor(db: Db, log: FastifyBaseLogger, intervalMs?: number) {
    super(
      {
        what: 'MCP usage',
        empty: () => ({ usage: new Map(), lastUsed: new Map() }),
        isEmpty: (batch) => batch.usage.size === 0 && batch.lastUsed.size === 0,
        write: (batch) => recordMcpUsage(db, [...batch.usage.values()], batch.lastUsed),
        mergeFailed: (failed, into) => {
          for (const [key, entry] of failed.usage) {
            const current = into.usage.get(key);
            if (current) current.calls += entry.calls;
            else into.usage.set(key, entry);
          }
          for (const [grantId, at] of failed.lastUsed) if (!into.lastUsed.has(grantId)) into.lastUsed.set(grantId, at);
        },
      },
      log,
      intervalMs,
    );
  }

  /** Any authenticated MCP request moves last-used; a tool call also counts for its tool. */
  record(grantId: string, tool?: string): void {
    const now = new Date();
    const { usage, lastUsed } = this.current;
    lastUsed.set(grantId, now);
    if (tool === undefined) return;
    const key = `${grantId}\u0000${tool}`;
    const entry = usage.get(key);
    if (entry) {
      entry.calls += 1;
      entry.lastCalledAt = now;
    } else {
      usage.set(key, { grantId, tool, calls: 1, lastCalledAt: now });
    }
  }
}
