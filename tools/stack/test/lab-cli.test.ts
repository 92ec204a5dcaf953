// `pnpm lab` as a person runs it, against a real PostgreSQL given as DATABASE_URL (as with a `pnpm dev`
// on one): bad input is one clear line and exit 2 before anything is touched; production is refused;
// on, status and off change the switches the services read, each recorded as an admin change.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '@enginy/db/client';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@enginy/db/embedded';
import { listLabSwitches } from '@enginy/db/queries/failure-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/ports.ts';
import { REPO_ROOT } from '../src/processes.ts';

const exec = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = join(REPO_ROOT, 'tools/stack/src/lab.ts');

let dataDir: string;
let pg: EmbeddedPostgresHandle;
let db: Db;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'enginy-lab-cli-'));
  chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must reach its data dir
  pg = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'data'),
    port: await freePort(),
    database: 'lab',
    env: process.env,
  });
});
afterAll(async () => {
  await db?.destroy();
  await pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function lab(args: string[], env: Record<string, string> = {}) {
  return exec(TSX, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: pg.url, ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('pnpm lab: bad input', () => {
  it.each([
    [['on', 'expire-acces'], 'Unknown scenario "expire-acces"; scenarios: expire-access, step-up, forget-client'],
    [['on', 'expire-access', '--seconds', '-5'], '--seconds must be a whole number from 1 to 86400'],
    [
      ['on', 'expire-access', '--count', '3'],
      'expire-access has no option --count; its options: --seconds, --workspace',
    ],
    [['on', 'no-dcr', '--workspace', 'acme'], 'no-dcr is global: it takes no --workspace'],
    [['on', 'token-unavailable', '--count'], '--count needs a value'],
    [['off'], 'off needs a scenario (or --all)'],
    [['switch'], 'Unknown command "switch"; commands: list, status, on, off, --help'],
  ])('%j: one clear line, exit 2', async (args, message) => {
    const result = await lab(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain(message);
  });

  it('refuses NODE_ENV=production with a clear message', async () => {
    const result = await lab(['on', 'no-dcr'], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refuses to run with NODE_ENV=production');
  });

  it('--help and list need no database', async () => {
    const help = await lab(['--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('pnpm lab off --all');
    const list = await lab(['list'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(list.stdout).toContain(
      'expire-access [--seconds N] (the access token lifetime, default 30) [--workspace <slug>]',
    );
    expect(list.stdout).toContain('https://github.com/anthropics/claude-code/issues/84614');
  });
});

describe('pnpm lab: switches', () => {
  it('on, status, off, off --all: the switches change and each is an admin change', async () => {
    expect((await lab(['status'])).stdout).toContain('No scenario is on');
    db = createDb(pg.url, { max: 1 });

    const on = await lab(['on', 'expire-access', '--seconds', '5', '--workspace', 'acme']);
    expect(on.stdout).toContain('On for acme: expire-access --seconds 5.');
    await lab(['on', 'token-unavailable']);
    expect(await listLabSwitches(db)).toMatchObject([
      { scenario: 'expire-access', workspaceSlug: 'acme', options: { seconds: 5 }, remaining: null },
      { scenario: 'token-unavailable', workspaceId: null, options: { count: 3 }, remaining: 3 },
    ]);
    const status = (await lab(['status'])).stdout;
    expect(status).toMatch(/expire-access --seconds 5: acme, on since .* by cli:/);
    expect(status).toMatch(/token-unavailable --count 3 \(3 left\): global/);

    expect((await lab(['off', 'expire-access'])).stdout).toContain('Off: expire-access.');
    expect((await lab(['off', 'expire-access'])).stdout).toContain('expire-access was not on.');
    expect((await lab(['on', 'expire-access', '--workspace', 'nope'])).stderr).toContain('No workspace "nope"');
    expect((await lab(['off', '--all'])).stdout).toContain('Switched off 1 scenario(s).');
    expect(await listLabSwitches(db)).toEqual([]);

    const events = await db
      .selectFrom('auth_events')
      .select(['reason', 'details'])
      .where('reason', 'like', 'failure_lab_%')
      .orderBy('id')
      .execute();
    expect(events.map((event) => [event.reason, (event.details as { scenario: string }).scenario])).toEqual([
      ['failure_lab_on', 'expire-access'],
      ['failure_lab_on', 'token-unavailable'],
      ['failure_lab_off', 'expire-access'],
      ['failure_lab_off', 'expire-access'],
      ['failure_lab_off', 'all'],
    ]);
    expect((events[0]?.details as { by?: string } | undefined)?.by).toMatch(/^cli:/);
  });
});
