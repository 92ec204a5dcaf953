// `pnpm bench:startup`: time from `pnpm dev` to every app ready, cold (new data dir) and warm, and
// the whole stack's memory once idle. Prints a table; uses free ports and a temp data dir.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortFree } from './ports.ts';
import { REPO_ROOT } from './processes.ts';

const WARM_RUNS = Number(process.argv[2] ?? 3);
const dataRoot = mkdtempSync(join(tmpdir(), 'enginy-bench-startup-'));
chmodSync(dataRoot, 0o755);
const ports = { OPENAPI_PORT: await freePort(), AUTH_PORT: await freePort(), WEB_PORT: await freePort(), EMBEDDED_PG_PORT: await freePort() };
const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), EMBEDDED_PG_DATA_DIR: join(dataRoot, 'pg') };
const readyUrls = [`http://localhost:${ports.OPENAPI_PORT}/readyz`, `http://localhost:${ports.AUTH_PORT}/readyz`, `http://localhost:${ports.WEB_PORT}/`];

interface RunResult {
  label: string;
  readyMs: number;
  idleRssMb?: number;
  processes?: number;
}

async function allReady(): Promise<boolean> {
  const answers = await Promise.all(readyUrls.map((url) => fetch(url).then((r) => r.ok, () => false)));
  return answers.every(Boolean);
}

interface ProcessTable {
  children: Map<number, number[]>;
  rss: Map<number, number>;
}

function processTable(): ProcessTable {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const pages = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      rss.set(Number(entry), (pages * 4096) / 1024 / 1024);
    } catch {
      // exited while we looked
    }
  }
  return { children, rss };
}

/** A process and all its descendants. */
function descendants(rootPid: number, table = processTable()): number[] {
  const found: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    found.push(pid);
    stack.push(...(table.children.get(pid) ?? []));
  }
  return found;
}

/** Resident memory of a process and all its descendants, from /proc. */
function treeRss(rootPid: number): { mb: number; count: number } {
  const table = processTable();
  const pids = descendants(rootPid, table);
  return { mb: pids.reduce((sum, pid) => sum + (table.rss.get(pid) ?? 0), 0), count: pids.length };
}

async function run(label: string, measureMemory: boolean): Promise<RunResult> {
  const started = performance.now();
  const spawned = spawn('pnpm', ['dev'], { cwd: REPO_ROOT, env, detached: true, stdio: 'ignore' });
  while (!(await allReady())) await new Promise((resolve) => setTimeout(resolve, 50));
  const result: RunResult = { label, readyMs: performance.now() - started };
  if (measureMemory) {
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // let start-up garbage settle
    const { mb, count } = treeRss(spawned.pid as number);
    result.idleRssMb = mb;
    result.processes = count;
  }
  // A terminal's Ctrl-C: every process of the job gets SIGINT.
  for (const pid of descendants(spawned.pid as number)) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // gone already
    }
  }
  await new Promise((resolve) => spawned.once('exit', resolve));
  for (const port of Object.values(ports)) while (!(await isPortFree(port))) await new Promise((resolve) => setTimeout(resolve, 100));
  return result;
}

const results: RunResult[] = [await run('cold (new data dir)', false)];
for (let i = 1; i <= WARM_RUNS; i++) results.push(await run(`warm #${i}`, i === WARM_RUNS));
rmSync(dataRoot, { recursive: true, force: true });

process.stdout.write('\n| run | pnpm dev → all ready | idle memory (RSS, whole stack) |\n| --- | --- | --- |\n');
for (const r of results) {
  const memory = r.idleRssMb === undefined ? '' : `${r.idleRssMb.toFixed(0)} MB in ${r.processes} processes`;
  process.stdout.write(`| ${r.label} | ${(r.readyMs / 1000).toFixed(2)} s | ${memory} |\n`);
}
