#!/usr/bin/env node
// The quick start's entry point, for a machine with only Node and npm:
//   npm start  -> make sure pnpm and the dependencies are there, then `pnpm dev`
//   npm test   -> the same, plus what the tests need (Debian's Chromium, nginx, redis-server and tmux, a
//                 second PostgreSQL server), then `pnpm test:all`
// Plain Node on purpose: it runs before any dependency is installed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.21.0';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Where Debian's packages put their programs (/usr/sbin, nginx's, is not on every user's PATH).
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const say = (text) => process.stdout.write(`» ${text}\n`);

const command = process.argv[2];
if (command !== 'dev' && command !== 'test') {
  process.stderr.write('usage: node tools/bootstrap.mjs dev|test\n');
  process.exit(2);
}

const pnpm = findPnpm();
run(pnpm, ['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])]);
if (command === 'dev') {
  exec(pnpm, ['dev']);
} else {
  ensureTestPackages();
  const env = { ...process.env, ...secondPostgresEnv() };
  exec(pnpm, ['test:all'], env);
}

/** pnpm as installed, else installed globally with npm, else through npx (no global install rights). */
function findPnpm() {
  if (works('pnpm', ['--version'])) return ['pnpm'];
  say(`installing pnpm ${PNPM_VERSION} (npm i -g pnpm@${PNPM_VERSION})`);
  // Not corepack: its signature check fails on some machines (see README, Troubleshooting).
  if (
    spawnSync('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`], { stdio: 'inherit' }).status === 0 &&
    works('pnpm', ['--version'])
  )
    return ['pnpm'];
  say(`global install failed; using npx pnpm@${PNPM_VERSION}`);
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

/**
 * What the tests drive besides Node, from Debian's packages: Chromium (browser tests), nginx and
 * redis-server (the replicated topology and the shared rate-limit store), tmux (Gemini CLI's UI).
 * Installed when missing and this user may; otherwise a message that names them.
 */
function ensureTestPackages() {
  const missing = [
    ...(existsSync(CHROMIUM) ? [] : ['chromium']),
    ...['nginx', 'redis-server', 'tmux'].filter((name) => !SYSTEM_DIRS.some((dir) => existsSync(join(dir, name)))),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() === 0 && works('apt-get', ['--version'])) {
    say(`installing ${missing.join(', ')} from Debian packages (apt-get install ${missing.join(' ')})`);
    run(['apt-get'], ['update', '-qq']);
    run(['apt-get'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
    return;
  }
  process.stderr.write(
    `The tests need ${missing.join(', ')}: install them (Debian: apt-get install ${missing.join(' ')})` +
      `${missing.includes('chromium') ? `, or set CHROMIUM_PATH (looked for ${CHROMIUM})` : ''}.\n`,
  );
  process.exit(1);
}

/**
 * The integration tests also run the migrations and the apps against a PostgreSQL *server*.
 * TEST_POSTGRES_SERVER_URL names one; otherwise a Debian cluster (pg_ctlcluster) is started and
 * given a login role, as on CI machines. Without either, those tests say they were skipped.
 */
function secondPostgresEnv() {
  if (process.env.TEST_POSTGRES_SERVER_URL) return {};
  if (process.getuid?.() !== 0 || !works('pg_lsclusters', ['-h'])) return {};
  const cluster = execFileSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).trim().split('\n')[0]?.split(/\s+/);
  if (!cluster || cluster.length < 4) return {};
  const [version, name, port, status] = cluster;
  if (status !== 'online') {
    say(`starting PostgreSQL ${version} (${name}) for the second-server tests`);
    run(['pg_ctlcluster'], [version, name, 'start']);
  }
  const sql = (statement) =>
    execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-p', port, '-qtAc', statement], {
      encoding: 'utf8',
    }).trim();
  if (sql("select 1 from pg_roles where rolname = 'enginy_test'") !== '1')
    sql("create role enginy_test login createdb password 'enginy_test'");
  if (sql("select 1 from pg_database where datname = 'enginy_test'") !== '1')
    sql('create database enginy_test owner enginy_test');
  return { TEST_POSTGRES_SERVER_URL: `postgres://enginy_test:enginy_test@127.0.0.1:${port}/enginy_test` };
}

function works(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function run([cmd, ...pre], args) {
  const result = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Runs the long-lived command and exits with its code. A terminal's Ctrl-C reaches the child
 * directly (same process group), so SIGINT is only waited out here; SIGTERM is passed on.
 */
function exec([cmd, ...pre], args, env = process.env) {
  const child = spawn(cmd, [...pre, ...args], { stdio: 'inherit', cwd: ROOT, env });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
