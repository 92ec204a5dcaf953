// `pnpm test:all`: every package's tests through Turborepo in two lanes side by side, one package at
// a time in each: the end-to-end suite (real agents, Chromium, a stack per file: the longest by far)
// in one; every other package, then the e2e files that bind no fixed port (and a few agent files, in
// a network namespace of their own where one can be made), then the hardening suite
// (`pnpm test:hardening`: its script has another name, so turbo's `test` leaves it out) in the other.
// Then where the time went and one closing line summed over all. CI reads that line: keep its words.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';
import { REPO_ROOT } from './processes.ts';
import { inPrivateNetwork, privateNetworkAvailable } from './private-network.ts';
import { startProgress } from './progress.ts';
import { followTestOutput } from './test-output.ts';
import { type PackageResults, timingTables, type VitestReport } from './test-timings.ts';

const HARDENING = '@enginy/hardening';
const E2E = '@enginy/e2e';
const COMMAND = defineCommand({
  usage: `Usage: pnpm test:all [--filter <package>]… [-- vitest arguments…]

Every package's tests through Turborepo in two lanes at once: the end-to-end suite (${E2E}) in
one; every other package, then the e2e files that bind no fixed port (and a few agent files, in a
network namespace of their own where the machine allows one), then the hardening suite
(pnpm test:hardening) in the other; one package at a time in each. Then the seconds per package and the ten slowest files, and one closing
line: "N passed, N failed, N skipped". Shows which package and file each lane is at (a live line on
a terminal).

  --filter <package>   only this package (turbo's --filter syntax; repeat it for several). The
                       hardening suite then runs only when named: --filter ${HARDENING}
  --serial             one lane: every package one after another, then the hardening suite (for a
                       machine where two lanes contend, or to time a package alone)
  -- <arguments>       passed to each package's vitest (not the hardening suite's), e.g.
                       -- -t "refresh", or a file name
`,
  positionals: true,
  options: { filter: { type: 'string', multiple: true }, serial: { type: 'boolean' } },
});
const { values, positionals: vitestArgs } = readCommandLine(COMMAND);
const filters = values.filter ?? [];
const turboFilters = filters.filter((filter) => filter !== HARDENING).map((filter) => `--filter=${filter}`);
const runTurbo = filters.length === 0 || turboFilters.length > 0;
const runHardening = filters.length === 0 || filters.includes(HARDENING);

const RESULTS = '.vitest-results.json';
// The end-to-end files that run in the other lane write their report here.
const BESIDE_RESULTS = '.vitest-results-beside.json';
// End-to-end files that bind no fixed port (an agent's or the doctor's loopback callback: 3118, 1456,
// 6276, 7777…) and drive no agent CLI: they run in the other lane, beside the rest of the suite, whose
// files hold those ports one at a time. A new file stays with the rest unless it is listed here.
// The list also balances the lanes: lab-agents-sdk-client (about 80 s) came beside and
// content-security-policy (about 40 s) went back once the other packages stopped re-importing their
// modules for every file (vitest's isolate: false; a fresh-clone run before the swap: e2e 1,069 s,
// the other lane 1,146 s). console-pages (about 40 s) came beside when the CLIs stopped importing
// everything before parsing (cli-help about 25 s less) and three agents' failure-lab files grew by
// a case each.
const E2E_BESIDE = [
  'test/browser-denials-and-aliases.test.ts',
  'test/client-names-and-attempts.test.ts',
  'test/console-client-name.test.ts',
  'test/console-flows.test.ts',
  'test/console-pages.test.ts',
  'test/content-security-policy-preview.test.ts',
  'test/lab-agents-sdk-client.test.ts',
  'test/mcp-connect.test.ts',
  'test/mcp-token.test.ts',
  'test/readme-example.test.ts',
];
// Files that do bind an agent's fixed callback port, also run beside where a network namespace can be
// made (private-network.ts): the second lane's e2e files then run in one, where those ports are its
// own. Without one they stay in the first lane. Codex's, opencode's, the Inspector's and Qwen Code's
// failure-lab files go there, with the Inspector's real-client file, and oauth-flows the other way, to
// balance the lanes (a fresh-clone run with all but the last: e2e 1,376 s, the other lane ending
// about 65 s sooner).
const E2E_BESIDE_IN_PRIVATE_NETWORK = [
  'test/lab-agents-codex.test.ts',
  'test/lab-agents-opencode.test.ts',
  'test/lab-agents-inspector.test.ts',
  'test/lab-agents-qwen-code.test.ts',
  'test/real-client-inspector.test.ts',
];
const PACKAGE_DIRS = ['apps', 'packages', 'tools', 'tests'].flatMap((group) =>
  readdirSync(join(REPO_ROOT, group))
    .map((name) => join(REPO_ROOT, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json'))),
);
for (const dir of PACKAGE_DIRS) for (const file of [RESULTS, BESIDE_RESULTS]) rmSync(join(dir, file), { force: true });

const TURBO = join(REPO_ROOT, 'node_modules/.bin/turbo');
const planned = runTurbo ? plannedPackages() : [];

// Two lanes when the end-to-end suite runs beside anything else: it is about half of the whole, and
// waits on agents, browsers and token expiry more than it computes. Each lane starts its stacks on
// free ports; only the e2e files that drive agents or the doctor bind fixed callback ports, and they
// all stay in the first lane. The others (E2E_BESIDE) go to the second, unless vitest arguments
// (a file or test filter) were given: those name what to run, and the e2e suite then runs whole.
const apart =
  values.serial !== true && planned !== undefined && planned.includes(E2E) && (planned.length > 1 || runHardening);
const split = apart && vitestArgs.length === 0;
const privateNetwork = split && E2E_BESIDE_IN_PRIVATE_NETWORK.length > 0 && privateNetworkAvailable();
const beside = split ? [...E2E_BESIDE, ...(privateNetwork ? E2E_BESIDE_IN_PRIVATE_NETWORK : [])] : [];
const others = (planned ?? []).filter((name) => name !== E2E);
const progress = startProgress(
  planned === undefined ? undefined : planned.length + (runHardening ? 1 : 0) + (split ? 1 : 0),
  process.stdout,
);
const startedAt = Date.now();
const statuses = await Promise.all(
  apart
    ? [
        lane([`--filter=${E2E}`], { exclude: beside }),
        lane(others.length > 0 ? others.map((name) => `--filter=${name}`) : undefined, {
          beside,
          hardening: runHardening,
        }),
      ]
    : [lane(runTurbo ? turboFilters : undefined, { hardening: runHardening })],
);
const wallSeconds = Math.round((Date.now() - startedAt) / 1000);
if (!runHardening) progress.log(`\n» the hardening suite: not run (--filter does not name ${HARDENING})`);
progress.done();

let passed = 0;
let failed = 0;
let skipped = 0;
const timed: PackageResults[] = [];
for (const dir of PACKAGE_DIRS)
  for (const results of [RESULTS, BESIDE_RESULTS]) {
    const file = join(dir, results);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
    timed.push({ name: results === BESIDE_RESULTS ? `${name} (lane 2)` : name, report });
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    rmSync(file, { force: true });
  }
if (timed.length > 0) process.stdout.write(`\n${timingTables(timed, REPO_ROOT)}`);
process.stdout.write(
  `\nwall time ${wallSeconds} s (${apart ? `two lanes${split ? `, ${beside.length} e2e files in the second` : ''}` : 'one lane'})\n`,
);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(statuses.every((status) => status === 0) ? 0 : 1);

interface LaneParts {
  /** e2e files turbo's run leaves out (vitest --exclude): they run in the other lane. */
  exclude?: readonly string[];
  /** e2e files run after turbo's part, with the e2e package's vitest. */
  beside?: readonly string[];
  /** The hardening suite last. */
  hardening?: boolean;
}

/**
 * One lane: turbo's test task for these filters (none: turbo is not run), then the e2e files given
 * as `beside`, then the hardening suite if asked; its exit status, 0 when every part passed. Every
 * part runs even after one fails.
 */
async function lane(filters: string[] | undefined, parts: LaneParts): Promise<number> {
  const follow = followTestOutput(progress);
  const reporters = ['--reporter=default', '--reporter=json'];
  const statuses: number[] = [];
  if (filters !== undefined)
    statuses.push(
      await streamed(
        spawn(
          TURBO,
          [
            'run',
            'test',
            '--concurrency=1',
            '--continue',
            ...filters,
            '--',
            ...reporters,
            `--outputFile.json=${RESULTS}`,
            ...vitestArgs,
            ...(parts.exclude ?? []).flatMap((file) => ['--exclude', file]),
          ],
          { cwd: REPO_ROOT, env: childEnv(), stdio: ['inherit', 'pipe', 'pipe'] },
        ),
        follow,
      ),
    );
  if ((parts.beside ?? []).length > 0) {
    progress.log(
      `\n» ${E2E} (lane 2): ${parts.beside?.length} files${privateNetwork ? ', in a network namespace of their own' : ' that bind no fixed port'}`,
    );
    const e2eDir = join(REPO_ROOT, 'tests/e2e');
    const vitest: [string, string[]] = [
      join(e2eDir, 'node_modules/.bin/vitest'),
      ['run', ...reporters, `--outputFile.json=${BESIDE_RESULTS}`, ...(parts.beside ?? [])],
    ];
    statuses.push(
      await streamed(
        spawn(...(privateNetwork ? inPrivateNetwork(...vitest) : vitest), {
          cwd: e2eDir,
          env: childEnv(),
          stdio: ['inherit', 'pipe', 'pipe'],
        }),
        follow,
        `${E2E} (lane 2)`,
      ),
    );
  }
  if (parts.hardening === true) {
    progress.log('\n» the hardening suite (pnpm test:hardening)');
    const hardeningDir = join(REPO_ROOT, 'tests/hardening');
    statuses.push(
      await streamed(
        spawn(
          join(hardeningDir, 'node_modules/.bin/vitest'),
          // Not vitestArgs: they name files and tests of the packages, and a file filter matching none here fails.
          ['run', ...reporters, `--outputFile.json=${RESULTS}`],
          { cwd: hardeningDir, env: childEnv(), stdio: ['inherit', 'pipe', 'pipe'] },
        ),
        follow,
        HARDENING,
      ),
    );
  }
  return statuses.every((status) => status === 0) ? 0 : 1;
}

/** The packages turbo will test, in turbo's own words (a dry run), so progress can count them. */
function plannedPackages(): string[] | undefined {
  const dry = spawnSync(TURBO, ['run', 'test', '--dry=json', ...turboFilters], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (dry.status !== 0) return undefined; // turbo's own run will say why
  const { tasks } = JSON.parse(dry.stdout) as { tasks: { package: string; command: string }[] };
  return tasks.filter((task) => task.command !== '<NONEXISTENT>').map((task) => task.package);
}

/** The children's output passes through line by line, so the live line stays below it. */
function childEnv(): NodeJS.ProcessEnv {
  // Piped, the children would drop their colours; on a terminal, keep them as they were.
  return process.stdout.isTTY && process.env.FORCE_COLOR === undefined
    ? { ...process.env, FORCE_COLOR: '1' }
    : process.env;
}

async function streamed(
  child: ChildProcess,
  follow: ReturnType<typeof followTestOutput>,
  name?: string,
): Promise<number> {
  const pass = (stream: NodeJS.ReadableStream | null, to: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve();
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
        .on('line', (line) => {
          follow(line, name);
          progress.log(line, to);
        })
        .on('close', resolve);
    });
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  await Promise.all([pass(child.stdout, process.stdout), pass(child.stderr, process.stderr)]);
  return exited;
}
