// `pnpm test:all`: every package's tests through Turborepo, one package at a time (the integration
// suites start whole stacks and browsers), then the hardening suite (`pnpm test:hardening`: its
// script has another name, so turbo's `test` leaves it out), then one closing line summed over all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.ts';

const RESULTS = '.vitest-results.json';
const PACKAGE_DIRS = ['apps', 'packages', 'tools', 'tests'].flatMap((group) =>
  readdirSync(join(REPO_ROOT, group))
    .map((name) => join(REPO_ROOT, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json'))),
);
for (const dir of PACKAGE_DIRS) rmSync(join(dir, RESULTS), { force: true });

const run = spawnSync(
  join(REPO_ROOT, 'node_modules/.bin/turbo'),
  [
    'run',
    'test',
    '--concurrency=1',
    '--continue',
    '--',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${RESULTS}`,
    ...process.argv.slice(2),
  ],
  { cwd: REPO_ROOT, stdio: 'inherit' },
);

const hardeningDir = join(REPO_ROOT, 'tests/hardening');
process.stdout.write('\n» the hardening suite (pnpm test:hardening)\n');
const hardening = spawnSync(
  join(hardeningDir, 'node_modules/.bin/vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`],
  {
    cwd: hardeningDir,
    stdio: 'inherit',
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of PACKAGE_DIRS) {
  const file = join(dir, RESULTS);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  rmSync(file, { force: true });
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(run.status === 0 && hardening.status === 0 ? 0 : 1);
