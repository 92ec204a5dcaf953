import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  it('once released, its watcher goes and signals no one: the group keeps running', async () => {
    const group = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pgid = group.pid as number;
    try {
      const reaper = reapWithParent(pgid, 'TERM');
      await expect.poll(() => watchers(pgid).length).toBe(1);
      reaper.release();
      await expect.poll(() => watchers(pgid).length).toBe(0);
      expect(alive(pgid)).toBe(true);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });
});
