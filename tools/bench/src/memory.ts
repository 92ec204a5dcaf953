import { isServer, processTree, rssMb } from './proc.ts';

export interface MemoryRow {
  owner: string;
  process: string;
  pid: number;
  /** The process that serves requests (for the apps: tsx's child, not its launcher). */
  server: boolean;
  idleMb: number;
  peakMb: number;
  afterMb: number;
}

/**
 * Samples the resident memory of each process of the given trees: once idle, every 250 ms while
 * `loaded()` is on (keeping the peak), and once at the end.
 */
export class MemoryWatch {
  private readonly rows: MemoryRow[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(roots: { owner: string; pid: number }[]) {
    for (const { owner, pid } of roots) {
      const tree = processTree(pid);
      for (const info of tree) {
        this.rows.push({
          owner,
          process: info.command,
          pid: info.pid,
          server: isServer(info, tree),
          idleMb: info.rssMb,
          peakMb: info.rssMb,
          afterMb: info.rssMb,
        });
      }
    }
  }

  /** The processes that serve requests (not launchers or helpers). */
  servers(): MemoryRow[] {
    return this.rows.filter((row) => row.server);
  }

  /** Starts or stops peak sampling around a loaded phase. */
  loaded(on: boolean): void {
    if (on && this.timer === undefined) this.timer = setInterval(() => this.sample(), 250);
    if (!on && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.sample();
    }
  }

  /** The figures so far; the last sample is "after load". */
  finish(): MemoryRow[] {
    this.loaded(false);
    for (const row of this.rows) row.afterMb = rssMb(row.pid) ?? row.afterMb;
    return this.rows;
  }

  private sample(): void {
    for (const row of this.rows) {
      const mb = rssMb(row.pid);
      if (mb !== undefined) row.peakMb = Math.max(row.peakMb, mb);
    }
  }
}
