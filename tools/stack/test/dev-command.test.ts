// `pnpm dev` as a person runs it: the banner, readiness, and a Ctrl-C that leaves nothing behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isPortFree } from '../src/ports.ts';
import { REPO_ROOT } from '../src/processes.ts';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// The very command the `dev` script runs.
const DEV_SCRIPT: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.dev;

function runDev(env: Record<string, string>, extraArgs: string[] = []): Run {
  const [command, ...args] = DEV_SCRIPT.split(' ');
  const child = spawn(command as string, [...args, ...extraArgs], {
    cwd: REPO_ROOT,
    env: {
      PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME,
      LOG_PRETTY: 'false',
      ...env,
    },
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`never printed "${text}":\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const dataRoot = mkdtempSync(join(tmpdir(), 'enginy-dev-test-'));
chmodSync(dataRoot, 0o755);
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

describe('pnpm dev', () => {
  it('starts PostgreSQL and the three apps, prints one banner, and stops everything on Ctrl-C', async () => {
    const ports = {
      OPENAPI_PORT: await freePort(),
      AUTH_PORT: await freePort(),
      WEB_PORT: await freePort(),
      EMBEDDED_PG_PORT: await freePort(),
    };
    const run = runDev({
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      EMBEDDED_PG_DATA_DIR: join(dataRoot, 'pg'),
    });
    await waitFor(run, 'Ctrl-C stops everything');

    const banner = run.output();
    expect(banner).toContain(`http://localhost:${ports.OPENAPI_PORT}/mcp`);
    expect(banner).toContain(`http://localhost:${ports.AUTH_PORT}`);
    expect(banner).toContain(`http://localhost:${ports.WEB_PORT}`);
    expect(banner).toContain(`http://localhost:${ports.WEB_PORT}/console/connect`);
    expect(banner).toContain('Sign in as dev@enginy.local / enginy-dev');
    expect(banner).toContain(
      `claude mcp add --transport http --callback-port 3118 enginy http://localhost:${ports.OPENAPI_PORT}/mcp`,
    );
    expect(banner.match(/Enginy Local is running/g)).toHaveLength(1);
    expect(banner).not.toContain('enginy:enginy@'); // the database password is masked

    for (const url of [
      `http://localhost:${ports.OPENAPI_PORT}/readyz`,
      `http://localhost:${ports.AUTH_PORT}/readyz`,
      `http://localhost:${ports.WEB_PORT}/`,
      `http://localhost:${ports.WEB_PORT}/console/connect`,
    ]) {
      expect((await fetch(url)).status, url).toBe(200);
    }

    // A terminal's Ctrl-C signals the whole group, here while the process is too busy to answer at
    // once (held stopped for 300 ms): it must still stop the stack itself, not be killed mid-way
    // (as a relaying parent such as `tsx` does after 60 ms, exiting 130 and orphaning the apps).
    const pid = run.child.pid as number;
    process.kill(pid, 'SIGSTOP');
    process.kill(-pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid, 'SIGCONT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
    for (const port of Object.values(ports)) expect(await isPortFree(port), `port ${port} still in use`).toBe(true);
  });

  it('--replicas 2: two of each service on their own loopback ports behind nginx on the normal ports, a Redis for them, one banner listing it all, and Ctrl-C stops everything', async () => {
    const ports = {
      OPENAPI_PORT: await freePort(),
      AUTH_PORT: await freePort(),
      WEB_PORT: await freePort(),
      EMBEDDED_PG_PORT: await freePort(),
    };
    const run = runDev(
      {
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        EMBEDDED_PG_DATA_DIR: join(dataRoot, 'pg-replicas'),
      },
      ['--replicas', '2'],
    );
    await waitFor(run, 'Ctrl-C stops everything');

    const banner = run.output();
    expect(banner).toContain('starting 2× openapi, 2× auth, Redis, nginx and web');
    expect(banner.match(/Enginy Local is running/g)).toHaveLength(1);
    // The URLs people and clients use are the usual ones: the balancer's.
    expect(banner).toContain(`http://localhost:${ports.OPENAPI_PORT}/mcp`);
    expect(banner).toContain(`Load balancer (nginx)        :${ports.OPENAPI_PORT} and :${ports.AUTH_PORT}`);
    const replicaUrls = (service: string) =>
      [...banner.matchAll(new RegExp(`${service}-\\d (http://127\\.0\\.0\\.1:\\d+)`, 'g'))].map((m) => m[1] as string);
    const replicas = { openapi: replicaUrls('openapi'), auth: replicaUrls('auth') };
    expect(replicas.openapi).toHaveLength(2);
    expect(replicas.auth).toHaveLength(2);
    const redisPort = Number(/Rate-limit store \(Redis\)\s+redis:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);
    expect(redisPort).toBeGreaterThan(0);

    for (const [service, urls] of Object.entries(replicas)) {
      for (const url of urls) {
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status, url).toBe(200);
        expect(((await ready.json()) as { service: string }).service).toBe(service);
      }
    }
    for (const url of [
      `http://localhost:${ports.OPENAPI_PORT}/readyz`,
      `http://localhost:${ports.AUTH_PORT}/readyz`,
      `http://localhost:${ports.WEB_PORT}/console/connect`,
      // The web app's proxy reaches the auth service through the balancer.
      `http://localhost:${ports.WEB_PORT}/api/auth/readyz`,
    ]) {
      expect((await fetch(url)).status, url).toBe(200);
    }

    const pid = run.child.pid as number;
    process.kill(-pid, 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
    const internal = [...replicas.openapi, ...replicas.auth].map((url) => Number(new URL(url).port));
    for (const port of [...Object.values(ports), ...internal, redisPort])
      expect(await isPortFree(port), `port ${port} still in use`).toBe(true);
  });

  it('refuses a --replicas that is not a small whole number, saying what it takes', async () => {
    const run = runDev({}, ['--replicas', 'two']);
    expect(await run.exited).toBe(2); // a usage error, as every CLI of ours (@enginy/config/cli-args)
    expect(run.output()).toContain('--replicas must be a whole number from 1 to 8 (got "two")');
  });

  it('names a malformed DATABASE_URL instead of printing a stack trace', async () => {
    const run = runDev({ DATABASE_URL: 'postgres//oops' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('DATABASE_URL must look like postgres://user:password@host:5432/database');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('names a port that is already in use', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen({ port, host: '127.0.0.1' }, resolve));
    try {
      const run = runDev({
        OPENAPI_PORT: String(port),
        AUTH_PORT: String(await freePort()),
        WEB_PORT: String(await freePort()),
      });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${port} (OPENAPI_PORT) is already in use`);
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('names an unreachable DATABASE_URL', async () => {
    const run = runDev({
      DATABASE_URL: `postgres://u:secret@127.0.0.1:${await freePort()}/db`,
      OPENAPI_PORT: String(await freePort()),
      AUTH_PORT: String(await freePort()),
      WEB_PORT: String(await freePort()),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Cannot connect to PostgreSQL at postgres://u:***@127.0.0.1');
    expect(run.output()).toContain('(DATABASE_URL)');
    expect(run.output()).not.toContain('secret');
  });
});
