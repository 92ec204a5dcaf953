// `pnpm build`: the services' bundles (`pnpm build:services`), then the web app's `vite build`.
// An entry point of its own, not `a && b` in package.json, so that `pnpm build --help` is answered
// here rather than appended to the last command (it used to build the services first).
import { spawnSync } from 'node:child_process';
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';
import { REPO_ROOT } from './processes.ts';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm build

Bundles the OpenAPI and auth services into apps/*/dist/server.mjs (pnpm build:services), then builds
the web app (vite build into apps/web/dist).
`,
    options: {},
  }),
);
for (const step of [['build:services'], ['--filter', '@enginy/web', 'build']]) {
  const run = spawnSync('pnpm', step, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
