// `pnpm test:soak [--seconds N]`: the hardening suite's mixed-load file alone, held for N seconds
// (120 by default). `npm test` holds the same load, with the same zero-error and memory assertions,
// for 20 s; CI runs this command after it, so the two-minute soak still gates every change.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import { REPO_ROOT } from './processes.ts';

const DEFAULT_SECONDS = 120;
// Below this the memory assertion has no warm-up to measure from (a quarter of the run, at most 20 s).
const MIN_SECONDS = 20;
const COMMAND = defineCommand({
  usage: `Usage: pnpm test:soak [--seconds N]

The hardening suite's mixed load (tests/hardening/test/load-held.test.ts) against a real stack: MCP
calls, REST calls, refreshes and new authorizations at once, held for N seconds. Zero errors, and each
service's resident memory stays within 1.5x of its first sample after warm-up (the curve is printed).
npm test holds it for 20 s; CI runs this command for the full ${DEFAULT_SECONDS} s.

  --seconds N   how long to hold the load (default ${DEFAULT_SECONDS}, at least ${MIN_SECONDS})
`,
  options: { seconds: { type: 'string' } },
});

const { values } = readCommandLine(COMMAND);
const seconds = values.seconds === undefined ? DEFAULT_SECONDS : Number(values.seconds);
if (!Number.isInteger(seconds) || seconds < MIN_SECONDS)
  refuse(COMMAND, `--seconds must be a whole number of seconds, at least ${MIN_SECONDS} (got ${values.seconds})`);

const hardening = join(REPO_ROOT, 'tests/hardening');
const child = spawn(join(hardening, 'node_modules/.bin/vitest'), ['run', 'test/load-held.test.ts'], {
  cwd: hardening,
  env: { ...process.env, HARDENING_LOAD_SECONDS: String(seconds) },
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('close', (code) => process.exit(code ?? 1));
