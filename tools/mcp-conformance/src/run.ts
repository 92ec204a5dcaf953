// The MCP conformance suite (@modelcontextprotocol/conformance 0.1.16) needs Node 22; the repo runs
// on Node 20. It runs here on a Node 22 binary from npm (node-<platform>-<arch>, pinned), as a child
// process. This is a package of its own because that binary's package declares a `node` bin: pnpm
// links it into the dependent's node_modules/.bin, and pnpm's shims then run every tool of that
// package (vitest, and the stack vitest starts through process.execPath) on Node 22.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface Check {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  description?: string;
  errorMessage?: string;
}

export interface ScenarioResult {
  scenario: string;
  /** As the suite's own baseline check counts it: no FAILURE and no WARNING. */
  passed: boolean;
  checks: Check[];
}

export interface SuiteRun {
  /** The CLI's exit code: with an expected-failures file, 0 only if exactly the listed scenarios failed. */
  exitCode: number;
  output: string;
  scenarios: ScenarioResult[];
}

/**
 * A Node ≥ 22 to run the suite with (and the agents whose packages require it, tests/e2e): this one
 * if it is, else the platform's binary package.
 */
export function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const name = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  try {
    const binary = join(
      dirname(require.resolve(`${name}/package.json`)),
      'bin',
      process.platform === 'win32' ? 'node.exe' : 'node',
    );
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed: an optional dependency for another platform, or not published for this one.
  }
  throw new Error(
    `Node 22 is needed (the MCP conformance suite, Qwen Code, the MCP Inspector): ${name}@22 is not installed for this platform (${process.platform}-${process.arch}); run the tests with Node 22.`,
  );
}

const cli = (): string =>
  join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');

function run(args: string[], cwd: string, timeoutMs: number): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node22(), [cli(), ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        output: signal ? `${output}\n(killed by ${signal} after ${timeoutMs / 1000} s)` : output,
      });
    });
  });
}

/** Every server scenario of the installed suite (`conformance list --server`). */
export async function listServerScenarios(): Promise<string[]> {
  const { exitCode, output } = await run(['list', '--server'], process.cwd(), 30_000);
  if (exitCode !== 0) throw new Error(`conformance list --server exited ${exitCode}: ${output}`);
  return [...output.matchAll(/^ {2}- (\S+)/gm)].map((match) => match[1] as string);
}

/**
 * `conformance server --url <url> --suite <suite>`, results written to `outputDir` and read back per
 * scenario (`server-<scenario>-<timestamp>/checks.json`).
 */
export async function runServerSuite(options: {
  url: string;
  outputDir: string;
  suite?: 'all' | 'active';
  expectedFailures?: string;
  timeoutMs?: number;
}): Promise<SuiteRun> {
  const args = ['server', '--url', options.url, '--suite', options.suite ?? 'all', '-o', options.outputDir];
  if (options.expectedFailures !== undefined) args.push('--expected-failures', options.expectedFailures);
  const { exitCode, output } = await run(args, options.outputDir, options.timeoutMs ?? 120_000);
  const scenarios = readdirSync(options.outputDir)
    .map((dir) => ({ dir, match: /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(dir) }))
    .filter(({ dir, match }) => match !== null && existsSync(join(options.outputDir, dir, 'checks.json')))
    .map(({ dir, match }): ScenarioResult => {
      const checks = JSON.parse(readFileSync(join(options.outputDir, dir, 'checks.json'), 'utf8')) as Check[];
      return {
        scenario: (match as RegExpExecArray)[1] as string,
        passed: !checks.some((check) => check.status === 'FAILURE' || check.status === 'WARNING'),
        checks,
      };
    });
  return { exitCode, output, scenarios };
}
