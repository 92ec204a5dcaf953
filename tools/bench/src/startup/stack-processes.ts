import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPortFree } from '@enginy/stack/ports';
import { isServer, processTree } from '../proc.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ProcessMemory {
  owner: string;
  process: string;
  pid: number;
  server: boolean;
  rssMb: number;
}

const recent = new WeakMap<ChildProcess, string[]>();

/** Starts `command` in its own process group (so a stop reaches everything it spawned). */
export function spawnGroup(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  recent.set(child, lines);
  const keep = (chunk: Buffer) => {
    const fresh = chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    if (onLine) for (const line of fresh) onLine(line);
    lines.push(...fresh);
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

/** The last lines a process printed, for an error message. */
export function lastLines(child: ChildProcess): string {
  return (recent.get(child) ?? []).join('\n');
}

/** Resolves with the exit code (null when a signal ended it), at once if it has already exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (hasExited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Polls until every URL answers 2xx; rejects after `timeoutMs` or once one of `children` has exited.
 * Resolves with the moment (performance.now()) each URL first answered.
 */
export async function waitForAll(
  urls: string[],
  children: ChildProcess[],
  timeoutMs = 180_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  const ready = new Map<string, number>();
  while (Date.now() < deadline) {
    const dead = children.find(hasExited);
    if (dead)
      throw new Error(
        `${dead.spawnargs.join(' ')} exited (code ${dead.exitCode}) before all was ready:\n${lastLines(dead)}`,
      );
    const pending = urls.filter((url) => !ready.has(url));
    const answers = await Promise.all(
      pending.map((url) =>
        fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    pending.forEach((url, i) => {
      if (answers[i]) ready.set(url, performance.now());
    });
    if (ready.size === urls.length) return ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not ready within ${timeoutMs / 1000} s: ${urls.join(', ')}`);
}

/** Each process of each tree with its resident memory now. */
export function memoryOf(roots: { owner: string; pid: number }[]): ProcessMemory[] {
  return roots.flatMap(({ owner, pid }) => {
    const tree = processTree(pid);
    return tree.map((info) => ({
      owner: info.app && !owner.startsWith(info.app) ? `${owner} › ${info.app}` : owner,
      process: info.command,
      pid: info.pid,
      server: isServer(info, tree),
      rssMb: info.rssMb,
    }));
  });
}

/**
 * SIGINT (a terminal's Ctrl-C) or SIGTERM to a process group, then waits for every process of the
 * tree, not just the leader: `pnpm dev` starts each app in a group of its own and stops them
 * itself, which takes longer than pnpm's own exit. Whatever is left after 15 s gets SIGKILL.
 */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const tree = processTree(child.pid).map((info) => info.pid);
  try {
    process.kill(-child.pid, signal);
  } catch {
    // gone already
  }
  const alive = () => tree.filter((pid) => existsSync(`/proc/${pid}`) && !isZombie(pid));
  const deadline = Date.now() + 15_000;
  while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of alive()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  await exited(child);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function waitForFreePorts(ports: number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    while (!(await isPortFree(port))) {
      if (Date.now() > deadline) throw new Error(`port ${port} is still in use after the stack stopped`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
