import type { Db } from '@enginy/db/client';
import { recordMcpUsage, type ToolUsage } from '@enginy/db/queries/mcp';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Counts MCP calls per grant and tool in memory and writes them in one batch every `intervalMs`
 * (and on close): the hot path never waits for a write, and the console is at most one interval
 * behind. A failed write keeps the counts for the next flush, so none are lost.
 */
export class UsageRecorder {
  private usage = new Map<string, ToolUsage>();
  private lastUsed = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Any authenticated MCP request moves last-used; a tool call also counts for its tool. */
  record(grantId: string, tool?: string): void {
    const now = new Date();
    this.lastUsed.set(grantId, now);
    if (tool === undefined) return;
    const key = `${grantId}\u0000${tool}`;
    const entry = this.usage.get(key);
    if (entry) {
      entry.calls += 1;
      entry.lastCalledAt = now;
    } else {
      this.usage.set(key, { grantId, tool, calls: 1, lastCalledAt: now });
    }
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.usage.size === 0 && this.lastUsed.size === 0) return;
      const usage = this.usage;
      const lastUsed = this.lastUsed;
      this.usage = new Map();
      this.lastUsed = new Map();
      try {
        await recordMcpUsage(this.db, [...usage.values()], lastUsed);
      } catch (error) {
        this.log.warn({ err: error }, 'MCP usage not written yet; will retry');
        this.merge(usage, lastUsed);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private merge(usage: Map<string, ToolUsage>, lastUsed: Map<string, Date>): void {
    for (const [key, entry] of usage) {
      const current = this.usage.get(key);
      if (current) current.calls += entry.calls;
      else this.usage.set(key, entry);
    }
    for (const [grantId, at] of lastUsed) if (!this.lastUsed.has(grantId)) this.lastUsed.set(grantId, at);
  }
}
