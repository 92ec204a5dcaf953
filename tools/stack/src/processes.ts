import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { reapWithParent } from '@enginy/db/reaper';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, shown if it dies before it is ready. */
  recent: string[];
  exited: Promise<number | null>;
  /**
   * Resolves once its output streams have ended: `exit` can come before the last lines are read, so
   * whoever shows `recent` for a process that died waits for this first (briefly: a grandchild may
   * hold the streams open).
   */
  drained: Promise<void>;
}

const COLORS: Record<string, string> = { openapi: '36', auth: '35', web: '33', nginx: '32', redis: '31' };

/**
 * Starts `command` in its own process group, so that stopping it also stops whatever it spawned
 * (tsx watch's child, vite's workers); its output is prefixed with its name.
 */
export function startApp(
  name: string,
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  quiet = false,
  width = 7,
): AppProcess {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its own group escapes a Ctrl-C: if this process ends without stopping it, the group goes too.
  reapWithParent(child, 'TERM');
  const recent: string[] = [];
  // A replica (`openapi-2`) takes its app's colour.
  const color = COLORS[name.replace(/-\d+$/, '')] ?? '37';
  const prefix = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(width)}\x1b[0m │ ` : `${name.padEnd(width)} │ `;
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (!quiet) process.stdout.write(`${prefix}${line}\n`);
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  const ended = (stream: NodeJS.ReadableStream | null) =>
    new Promise<void>((resolve) => (stream === null ? resolve() : stream.once('close', () => resolve())));
  const drained = Promise.all([ended(child.stdout), ended(child.stderr)]).then(() => undefined);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      recent.push(error.message);
      resolve(1);
    });
  });
  return { name, child, recent, exited, drained };
}

export function killGroup(app: AppProcess, signal: NodeJS.Signals): void {
  if (app.child.pid === undefined) return;
  try {
    process.kill(-app.child.pid, signal);
  } catch {
    // already gone
  }
}

/** `app.recent` once what it printed before dying has been read (at most `waitMs` later). */
export async function lastWords(app: AppProcess, waitMs = 1_000): Promise<string[]> {
  await Promise.race([app.drained, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  return app.recent;
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
export async function stopApp(app: AppProcess, graceMs = 8_000): Promise<void> {
  if (app.child.exitCode === null) {
    killGroup(app, 'SIGTERM');
    const timer = setTimeout(() => killGroup(app, 'SIGKILL'), graceMs);
    await app.exited;
    clearTimeout(timer);
  }
  // Anything left in the group (a grandchild that ignored SIGTERM) goes too.
  killGroup(app, 'SIGKILL');
}

/** Polls `url` until it answers 2xx; rejects when `deadline` passes or `died` settles first. */
export async function waitUntilReady(url: string, timeoutMs: number, died: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void died.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error('exited before it was ready');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`did not answer ${url} within ${Math.round(timeoutMs / 1000)} s`);
}
