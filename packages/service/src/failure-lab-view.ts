import type { FencedChannel } from '@enginy/db/change-feed';
import type { Db } from '@enginy/db/client';
import { type LabSwitchRow, listLabSwitches } from '@enginy/db/queries/failure-lab';

const NONE: readonly LabSwitchRow[] = Object.freeze([]);

/**
 * This process's view of the failure-lab switches (`pnpm lab`), answering for the moment a request
 * arrived, on every replica alike: the rule of the MCP endpoint's token lookups (token-lookups.ts).
 * The switches are read once and remembered with the feed's epoch; a request uses them only after a
 * fence (a trivial round trip on the feed's connection, sent after the request arrived) finds the
 * epoch unchanged, and migration 0012's trigger moves the epoch on every switch. So the lab costs no
 * query while nothing changes, and a switch applies to the very next request.
 *
 * The feed is the process's one feed (change-feed.ts), so the fence need not be the view's own: given
 * the `mark()` taken when the request arrived, any fence sent since answers (at the MCP endpoint, the
 * token check's), and a request that already paid one pays nothing here.
 *
 * Without a feed, or while it reconnects, every call reads the table. In production the view holds
 * nothing and reads nothing: the lab cannot be switched on there.
 */
export class FailureLabView {
  private loaded: { switches: readonly LabSwitchRow[]; epoch: number } | undefined;
  private reading: { switches: Promise<readonly LabSwitchRow[]>; epoch: number } | undefined;

  constructor(
    private readonly db: Db,
    private readonly feed: FencedChannel | undefined,
    private readonly production: boolean,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Where the feed's fences stand: a request's mark, taken when it arrives. */
  mark(): number | undefined {
    return this.feed?.mark();
  }

  /**
   * The switches in force (spent counted ones left out) for a request that arrived before `since`
   * (its `mark()`), or before this call without one.
   */
  async current(since?: number): Promise<readonly LabSwitchRow[]> {
    if (this.production) return NONE;
    try {
      const feed = this.feed;
      if (feed === undefined || !feed.ready) return await this.read();
      const epoch = await feed.fence(since).catch(() => undefined);
      if (epoch !== undefined && this.loaded?.epoch === epoch) return this.loaded.switches;
      // A read that left at this epoch saw every change the fence could report: share it.
      if (epoch !== undefined && this.reading?.epoch === epoch) return await this.reading.switches;
      // The epoch before the read: a change it may have missed moves the epoch, and no later fence matches.
      const before = feed.epoch;
      const switches = this.read();
      this.reading = { switches, epoch: before };
      const read = await switches;
      if (this.reading?.switches === switches) this.reading = undefined;
      this.loaded = { switches: read, epoch: before };
      return read;
    } catch (error) {
      // The lab must never break the stack it runs in: with the table unreadable, what was last read.
      this.reading = undefined;
      this.onError(error);
      return this.loaded?.switches ?? NONE;
    }
  }

  private async read(): Promise<readonly LabSwitchRow[]> {
    const rows = await listLabSwitches(this.db);
    return rows.filter((row) => row.remaining !== 0);
  }
}
