// `pnpm --silent mcp-token …` as a script runs it, from the repository root: its exit code and both
// streams. --silent keeps pnpm's own lines (the script echo, ELIFECYCLE) off stderr; pnpm 12's `-s` is
// `--sequential`, which leaves stdout to the script alone but not stderr.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function mcpTokenCli(args: string[], env: NodeJS.ProcessEnv = {}, pnpmFlag = '--silent'): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'pnpm',
      [pnpmFlag, 'mcp-token', ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
