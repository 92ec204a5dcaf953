import { readdirSync, readFileSync } from 'node:fs';

/**
 * The resident memory (MiB) of the biggest process in the process group led by `pid`: an app runs
 * as tsx's launcher plus the node process that serves, and it is the latter whose growth matters.
 * Linux only (/proc).
 */
export function appRssMiB(pid: number): number {
  let biggest = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pid) continue; // field 5 of stat: the process group
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (rss !== undefined) biggest = Math.max(biggest, Number(rss) / 1024);
    } catch {
      // the process ended while being read
    }
  }
  return biggest;
}
