// The real agent CLIs of tests/e2e/package.json, run offline from a scratch HOME, with a $BROWSER
// that approves in Chromium (browser-desk.ts).
//
// Claude Code and opencode ship their native binary in an optional platform package and copy it over
// a placeholder in a postinstall. pnpm-workspace.yaml does not let those postinstalls run: the
// binary is resolved here, from the wrapper package's own dependencies, so `pnpm install
// --frozen-lockfile` (even with --ignore-scripts) is all a fresh clone needs. Codex's, Gemini's,
// the Inspector's, Cline's, Qwen Code's and Copilot CLI's bins are Node scripts that find their
// parts themselves. Qwen Code and the Inspector require Node 22 (their `engines`: ≥ 22.0.0 and
// ≥ 22.19.0), and run on it here, as their users run them: the pinned Node 22 the conformance suite
// runs on. On the repo's Node 20 the Inspector refused every request once HTTP(S)_PROXY was set
// ("the `undici` package could not be loaded"), a fault of the runtime, not of the Inspector.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { node22 } from '@enginy/mcp-conformance/run';
import { type OpenerRecord, openedUrls, serveBrowserOpens } from './browser-desk.ts';

export type AgentCli = 'claude' | 'codex' | 'gemini' | 'opencode' | 'inspector' | 'cline' | 'qwen' | 'copilot';

/** Each CLI's npm package, whose version tests/e2e/package.json pins. */
const PACKAGES: Record<AgentCli, string> = {
  claude: '@anthropic-ai/claude-code',
  codex: '@openai/codex',
  gemini: '@google/gemini-cli',
  opencode: 'opencode-ai',
  inspector: '@modelcontextprotocol/inspector',
  cline: 'cline',
  qwen: '@qwen-code/qwen-code',
  copilot: '@github/copilot',
};

const require = createRequire(import.meta.url);
const packageDir = (name: string, from = require) => dirname(from.resolve(`${name}/package.json`));
const target = `${platform()}-${arch()}`;

/** The command that runs `cli`: [executable, ...leading arguments]. */
export function cliCommand(cli: AgentCli): string[] {
  switch (cli) {
    case 'claude': {
      const wrapper = createRequire(join(packageDir('@anthropic-ai/claude-code'), 'package.json'));
      return [join(packageDir(`@anthropic-ai/claude-code-${target}`, wrapper), 'claude')];
    }
    case 'opencode': {
      const wrapper = createRequire(join(packageDir('opencode-ai'), 'package.json'));
      const os = platform() === 'win32' ? 'windows' : platform();
      // As its postinstall chooses: the x64 build needs AVX2, the "baseline" one does not.
      const baseline = arch() === 'x64' && os === 'linux' && !/\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
      return [join(packageDir(`opencode-${os}-${arch()}${baseline ? '-baseline' : ''}`, wrapper), 'bin', 'opencode')];
    }
    case 'codex':
      return [process.execPath, join(packageDir('@openai/codex'), 'bin', 'codex.js')];
    case 'gemini':
      return [process.execPath, join(packageDir('@google/gemini-cli'), 'bundle', 'gemini.js')];
    case 'inspector':
      return [node22(), join(packageDir(PACKAGES.inspector), 'clients', 'launcher', 'build', 'index.js')];
    case 'cline':
      return [process.execPath, join(packageDir(PACKAGES.cline), 'bin', 'cline')];
    case 'qwen':
      return [node22(), join(packageDir(PACKAGES.qwen), 'cli-entry.js')];
    case 'copilot':
      return [process.execPath, join(packageDir(PACKAGES.copilot), 'npm-loader.js')];
  }
}

/** The installed version, from the wrapper package (what package.json pins). */
export function cliVersion(cli: AgentCli): string {
  const manifest = join(packageDir(PACKAGES[cli]), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export interface Scratch {
  /** HOME for the CLI: its config and stored tokens land here. */
  home: string;
  /** The working directory (project folder) the CLI runs in. */
  project: string;
  /** One JSON line per browser run that ended: what the CLI opened, and how it went (browser-desk.ts). */
  browserLog: string;
  env: Record<string, string>;
  /** Deletes the scratch folder (after the file's tests). */
  remove(): void;
}

/** A loopback port nothing listens on (discard). */
const DEAD_END = 'http://127.0.0.1:9';
/**
 * A scratch HOME and project folder with a $BROWSER that approves in Chromium. The wrapper returns
 * at once (as a desktop browser launcher does) and leaves Chromium to finish the flow.
 */
export function scratch(cli: AgentCli): Scratch {
  const root = mkdtempSync(join(tmpdir(), `enginy-${cli}-`));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  const browserLog = join(root, 'browser.jsonl');
  const browser = serveBrowserOpens(root, browserLog);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    // Nothing but loopback: no update checks, telemetry, error reports or model catalogues...
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    NO_UPDATE_NOTIFIER: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    // ...and what is left fails at once, locally: opencode installs @opencode-ai/plugin into its
    // config folder from the npm registry on every start; any other request goes to a dead proxy.
    npm_config_registry: `${DEAD_END}/`,
    HTTP_PROXY: DEAD_END,
    HTTPS_PROXY: DEAD_END,
    http_proxy: DEAD_END,
    https_proxy: DEAD_END,
    NO_PROXY: 'localhost,127.0.0.1,::1',
    no_proxy: 'localhost,127.0.0.1,::1',
    BROWSER: browser.opener,
    TERM: 'xterm-256color',
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
  };
  const remove = () => {
    browser.stop();
    rmSync(root, { recursive: true, force: true });
  };
  return { home, project, browserLog, env, remove };
}

export interface RunResult {
  code: number | null;
  output: string;
}

export interface Running {
  /** Settles when the process has ended (stdout and stderr together). */
  done: Promise<RunResult>;
  /** Ends it (a CLI left waiting for a callback that will never come). */
  kill(): void;
}

interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
}

/** Starts a CLI in its own process group; kills the group after `timeoutMs`. */
export function start(command: string[], options: RunOptions): Running {
  const [executable, ...args] = command as [string, ...string[]];
  const child = spawn(executable, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const append = (chunk: unknown) => {
    output += String(chunk);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(-child.pid, 'SIGKILL');
  };
  const timer = setTimeout(() => {
    output += `\n[killed after ${options.timeoutMs ?? 60_000} ms]`;
    kill();
  }, options.timeoutMs ?? 60_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return { done, kill };
}

/** Runs a CLI to its end. */
export const run = (command: string[], options: RunOptions): Promise<RunResult> => start(command, options).done;

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/** A command for a CLI that insists on a terminal (`claude mcp login`): script(1) gives it a pseudo-terminal. */
export const inTty = (command: string[]): string[] => ['script', '-qfec', command.map(quote).join(' '), '/dev/null'];

/** The records the $BROWSER script has written so far. */
export function browserRecords(s: Scratch): OpenerRecord[] {
  if (!existsSync(s.browserLog)) return [];
  return readFileSync(s.browserLog, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OpenerRecord);
}

/** How many times the CLI has opened $BROWSER: runs that ended, and runs still going. */
export const browserOpens = (s: Scratch): number => openedUrls(dirname(s.browserLog)).length;

/** Waits for the `n`th browser run to end. */
export async function browserRecord(s: Scratch, n: number, timeoutMs = 60_000): Promise<OpenerRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = browserRecords(s)[n - 1];
    if (record !== undefined) return record;
    if (Date.now() > deadline) {
      const url = openedUrls(dirname(s.browserLog))[n - 1];
      throw new Error(`$BROWSER run ${n} never ended ${url ? `(it opened ${url})` : '(the CLI never opened it)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface LoginOutcome {
  /** What the $BROWSER script saw: the authorize URL and how the browser step ended. */
  browser: OpenerRecord;
  /** The login command's own end (killed when the browser step could not reach its callback). */
  cli: RunResult;
}

/**
 * Runs a login command that opens $BROWSER and waits for the `n`th browser run. A browser step that
 * ended on an error page never reaches the CLI, which would wait for ever: it is then stopped.
 */
export async function loginThroughBrowser(
  s: Scratch,
  command: string[],
  n: number,
  timeoutMs = 90_000,
): Promise<LoginOutcome> {
  const login = start(command, { cwd: s.project, env: s.env, timeoutMs });
  try {
    // The CLI may end before the browser has written its record (it got the callback first): give it time.
    const ended = login.done.then(() => browserRecord(s, n, 15_000).catch(() => undefined));
    const browser = await Promise.race([browserRecord(s, n, timeoutMs), ended]);
    if (browser === undefined)
      throw new Error(`The login ended without opening a browser:\n${(await login.done).output.slice(-3000)}`);
    if (browser.callback === undefined) login.kill();
    return { browser, cli: await login.done };
  } catch (error) {
    // Never leave a CLI holding the callback port for the next test.
    login.kill();
    throw error;
  }
}
