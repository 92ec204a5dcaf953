// The web app's production build, made once and shared by every stack that serves it built (tests,
// benchmarks): it carries nothing of a stack, whose URLs the page reads at run time
// (apps/web/server/runtime-config.ts). A build costs about 1.5 s of CPU, and a test run starts some
// seventy stacks.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './processes.ts';

const WEB_DIR = join(REPO_ROOT, 'apps/web');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'enginy-web');
const VITE = join(WEB_DIR, 'node_modules', '.bin', 'vite');
/** `vite build`'s arguments, before --outDir. */
const BUILD_ARGS = ['build', '--configLoader', 'runner', '--emptyOutDir', '--logLevel', 'warn'];

// One build per process at a time: the second stack of a file waits for the first one's build.
let building: Promise<string> | undefined;

/**
 * The directory of a production build of the current sources: built if none is, else the one there.
 * Named by a hash of what the build reads, so a changed source gets a new build. Each build goes to a
 * directory of its own and is renamed into place, so two processes building at once (two test lanes)
 * each end with a whole one. Builds of older sources are removed.
 */
export function builtWeb(): Promise<string> {
  const dir = join(CACHE_DIR, sourcesHash());
  if (existsSync(join(dir, 'index.html'))) return Promise.resolve(dir);
  building ??= build(dir).finally(() => {
    building = undefined;
  });
  return building;
}

async function build(dir: string): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const temporary = mkdtempSync(join(CACHE_DIR, 'building-'));
  try {
    // A production build, as compose makes: under the tests' NODE_ENV=test, Vite bundles React's
    // development build, which costs the browser about twice the CPU per page.
    await viteBuild(temporary);
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process renamed its build there first: the same sources, so the same app.
      if (!existsSync(join(dir, 'index.html'))) throw error;
    }
    for (const entry of readdirSync(CACHE_DIR))
      if (join(CACHE_DIR, entry) !== dir && !entry.startsWith('building-'))
        rmSync(join(CACHE_DIR, entry), { recursive: true, force: true });
    return dir;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

function viteBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(VITE, [...BUILD_ARGS, '--outDir', outDir], {
      cwd: WEB_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build of apps/web exited ${code}:\n${output}`)),
    );
  });
}

/**
 * What the build reads: the web app's files (its tests aside), the workspace packages it depends on,
 * the lockfile (every npm package's version) and this file's build arguments.
 */
function sourcesHash(): string {
  const manifest = JSON.parse(readFileSync(join(WEB_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const packages = Object.entries(manifest.dependencies)
    .filter(([, version]) => version.startsWith('workspace:'))
    .map(([name]) => join(REPO_ROOT, 'packages', name.replace(/^@enginy\//, '')));
  const hash = createHash('sha256').update(BUILD_ARGS.join(' '));
  const files = [
    ...['index.html', 'vite.config.ts', 'package.json'].map((file) => join(WEB_DIR, file)),
    ...filesUnder(join(WEB_DIR, 'src')),
    ...filesUnder(join(WEB_DIR, 'server')),
    ...packages.flatMap((dir) => [join(dir, 'package.json'), ...filesUnder(join(dir, 'src'))]),
    join(REPO_ROOT, 'pnpm-lock.yaml'),
  ];
  for (const file of files) hash.update(`\0${relative(REPO_ROOT, file)}\0`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((file) => statSync(file).isFile())
    .sort();
}
