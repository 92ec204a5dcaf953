#!/usr/bin/env -S npx tsx
// `pnpm run doctor [mcp-url]`: prints the checklist (or --json) and exits 0 only when every step passed;
// `--conformance` prints the conformance checklist instead.
import { refuse, UsageError } from '@enginy/config/cli-args';
import { DOCTOR_COMMAND, parseOptions, USAGE } from './options.ts';

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  // A bad argument: one line naming it, the usage, exit 2 (as every CLI of ours); anything else is a bug.
  if (!(error instanceof UsageError)) throw error;
  refuse(DOCTOR_COMMAND, error.message);
}
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
// Parsed before the rest is imported, so --help and a bad option answer at once.
const { runConformance } = await import('./conformance.ts');
const { renderText } = await import('./report.ts');
const { runDoctor } = await import('./run.ts');
const say = (line: string) => console.error(line);
const report = options.conformance ? await runConformance({ ...options, say }) : await runDoctor({ ...options, say });
process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : renderText(report)}\n`);
process.exit(report.verdict.status === 'failed' ? 1 : 0);
