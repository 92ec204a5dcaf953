import { type ChildProcess, spawn } from 'node:child_process';

// Run by `sh -c`: $1 the process group, $2 the first signal, $3 the grace period in seconds. A line
// `release` on stdin ends it quietly; the end of stdin without it (its parent gone) ends the group.
// (dash's kill takes no `--`: `-<pgid>` after the signal names the group.)
const SCRIPT = `if read -r line && [ "$line" = release ]; then exit 0; fi
kill -$2 -$1 2>/dev/null || exit 0
waited=0
while kill -0 -$1 2>/dev/null && [ $waited -lt $3 ]; do sleep 1; waited=$((waited + 1)); done
kill -KILL -$1 2>/dev/null
exit 0`;

/**
 * Ends a detached process group (`child`, started with `detached: true`: its pid is the group's id)
 * if this process ends before it has stopped the group, however it ends: a Ctrl-C that ends a test
 * run before its afterAll hooks, an uncaught error, a SIGKILL. Without this, the group (an app of a
 * test stack, an embedded PostgreSQL) outlives the run, holding its port, its memory and its CPU.
 *
 * A watcher `sh`, in a group of its own so that the Ctrl-C does not reach it, reads a pipe from this
 * process. The pipe closes when this process ends; the watcher then sends `signal` to the group, and
 * SIGKILL to whatever is left `graceSeconds` later. Once `child` has exited (stopped as usual, or
 * crashed), the watcher is released and goes without signalling anyone, so that a later process given
 * the same id is never signalled.
 */
export function reapWithParent(child: ChildProcess, signal: 'TERM' | 'INT', graceSeconds = 5): void {
  if (child.pid === undefined) return; // it never started
  const watcher = spawn('sh', ['-c', SCRIPT, 'reaper', String(child.pid), signal, String(graceSeconds)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watcher nor its pipe keeps this process's event loop alive.
  watcher.unref();
  const pipe = watcher.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
  pipe?.unref?.();
  // No `sh` (or it died): the group is then stopped only as before, never an error here.
  watcher.on('error', () => {});
  pipe?.on('error', () => {});
  child.once('exit', () => pipe?.end('release\n'));
}
