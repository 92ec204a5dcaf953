import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { reapWithParent } from '../src/reaper.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The watcher `sh` of group `pgid`, while it runs (`sh -c <script> reaper <pgid> …`). */
const watchers = (pgid: number) =>
  readdirSync('/proc').filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.includes('reaper') && args[args.indexOf('reaper') + 1] === String(pgid);
    } catch {
      return false; // not a process, or gone meanwhile
    }
  });

describe('reapWithParent', () => {
  it('once the group leader has exited, its watcher goes and signals no one: the rest of the group keeps running', async () => {
    // A group of two: the leader `sh`, and a `sleep` it started (its pid on the first line).
    const leader = spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pgid = leader.pid as number;
    try {
      const [line] = (await once(createInterface({ input: leader.stdout }), 'line')) as [string];
      const sleeper = Number(line);
      reapWithParent(leader, 'TERM');
      await expect.poll(() => watchers(pgid).length).toBe(1);
      process.kill(pgid, 'SIGKILL'); // the leader alone
      await expect.poll(() => watchers(pgid).length).toBe(0);
      expect(alive(sleeper)).toBe(true);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });
});
