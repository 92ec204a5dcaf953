// Every `pnpm <script>` of the root package.json that is a CLI of ours answers --help (and -h) with
// its usage and exit 0, starting nothing, and refuses an unknown option in one line naming it, then
// the usage, exit 2, with no stack trace. A new script is held to this unless listed as exempt below.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/ports.ts';
import { REPO_ROOT } from '../src/processes.ts';

const scripts: Record<string, string> = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;

// Scripts that are not CLIs of ours: their --help is another program's.
const EXEMPT: Record<string, string> = {
  start: 'tools/bootstrap.mjs: plain Node that installs pnpm and the dependencies first, then runs pnpm dev',
  test: 'tools/bootstrap.mjs: installs the dependencies and Debian packages first, then runs pnpm test:all',
  typecheck: "tsc -p . and three packages with options of their own: --help is tsc's",
  lint: "biome check: --help is biome's",
  'lint:fix': "biome check --write: --help is biome's",
  'lint:imports': "depcruise: --help is dependency-cruiser's",
  'test:hardening': "pnpm --filter @enginy/hardening's vitest run: --help is vitest's",
};
const OURS = /^node --import tsx (\S+\.ts)((?: [a-z][\w-]*)*)$/;
const cliScripts = Object.entries(scripts).filter(([name]) => !(name in EXEMPT));

const run = promisify(execFile);
const RECORD_STARTS = join(REPO_ROOT, 'tools/stack/test/fixtures/record-starts.mjs');
const dataRoot = mkdtempSync(join(tmpdir(), 'enginy-cli-help-'));
const embeddedDataDir = join(dataRoot, 'pg');
// Where a command would go if it started anything: a child process or a listening server (recorded
// by RECORD_STARTS), a PostgreSQL that counts connections, the embedded database's data directory.
let connections = 0;
const decoyDatabase = createServer((socket) => {
  connections++;
  socket.destroy();
});
// The services' ports, so that even a command that went on would not reach a real stack's.
const servicePorts: Record<string, string> = {};
beforeAll(async () => {
  await new Promise<void>((resolve) => decoyDatabase.listen(0, '127.0.0.1', resolve));
  for (const variable of ['OPENAPI_PORT', 'AUTH_PORT', 'WEB_PORT', 'EMBEDDED_PG_PORT'])
    servicePorts[variable] = String(await freePort());
});
afterAll(() => {
  decoyDatabase.close();
  rmSync(dataRoot, { recursive: true, force: true });
});

// Two at a time, as many as the machine's cores: each spawn compiles and imports a whole CLI.
let running = 0;
const waiting: (() => void)[] = [];
async function twoAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

let runs = 0;
const runScript = (command: string, extra: string[]) => twoAtATime(() => spawnScript(command, extra));
async function spawnScript(command: string, extra: string[]) {
  const [, file, fixedArgs] = OURS.exec(command) ?? [];
  const address = decoyDatabase.address() as { port: number };
  const startLog = join(dataRoot, `starts-${++runs}.log`);
  const args = ['--import', 'tsx', '--import', RECORD_STARTS, file as string, ...(fixedArgs ?? '').split(' ')];
  const result = await run(process.execPath, [...args.filter(Boolean), ...extra], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      START_LOG: startLog,
      DATABASE_URL: `postgres://enginy:enginy@127.0.0.1:${address.port}/enginy`,
      EMBEDDED_PG_DATA_DIR: embeddedDataDir,
      ...servicePorts,
    },
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { ...result, started: existsSync(startLog) ? readFileSync(startLog, 'utf8') : '' };
}

describe('every pnpm script', () => {
  it.each(cliScripts)('%s is a CLI of ours (node --import tsx <file>) or exempt with a reason', (name, command) => {
    expect(command, `${name}: add it to EXEMPT with the reason, or make it a CLI of ours`).toMatch(OURS);
  });
});

describe.concurrent.each(cliScripts.filter(([, command]) => OURS.test(command)))('pnpm %s', (name, command) => {
  // How the usage names the command: `pnpm run doctor` (pnpm has a doctor of its own), else `pnpm <name>`.
  const invocation = new RegExp(`pnpm (run )?${name.replace(/[:]/g, '\\:')}\\b`);

  // -h is the same answer: the shared reader's own test holds that (packages/config/test/cli-args.test.ts).
  it('answers --help with its usage on stdout, exit 0, starting nothing', async () => {
    const result = await runScript(command, ['--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: pnpm /);
    expect(result.stdout).toMatch(invocation);
    expect(result.stderr).toBe('');
    expect(result.started).toBe(''); // no child process, no server
  });

  it('refuses an unknown option in one line naming it, then the usage, exit 2', async () => {
    const result = await runScript(command, ['--no-such-option']);
    expect(result.code, result.stderr).toBe(2);
    const [first, second] = result.stderr.split('\n');
    expect(first).toBe('Unknown option --no-such-option');
    expect(second).toMatch(/^Usage: pnpm /);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(result.stdout).toBe('');
    expect(result.started).toBe('');
  });
});

describe('asking for help', () => {
  it('reached no database and wrote no embedded data directory', () => {
    // Runs after the runs above (vitest runs a file's top-level describes in order).
    expect(runs).toBeGreaterThan(0);
    expect(connections).toBe(0);
    expect(existsSync(embeddedDataDir)).toBe(false);
  });
});
