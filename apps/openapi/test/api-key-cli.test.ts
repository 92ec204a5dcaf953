import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';

// `pnpm api-key` as a person runs it, against this test's own database (DATABASE_URL).
const run = promisify(execFile);
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CLI = fileURLToPath(new URL('../../../tools/stack/src/api-key.ts', import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const cli = (args: string[]) =>
  run(TSX, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', DATABASE_URL: h.t.url },
    timeout: 30_000,
  });

describe('pnpm api-key', () => {
  it('prints a working key once, on stdout alone, with the scopes asked for', async () => {
    const { stdout, stderr } = await cli(['--scopes', 'contacts_read, MESSAGING_WRITE', '--name', 'cli-test']);
    const key = stdout.trim();
    expect(key).toMatch(/^gsk_[A-Za-z0-9_-]{43}$/);
    expect(stderr).toContain('scopes CONTACTS_READ, MESSAGING_WRITE');
    expect(stderr).not.toContain(key);
    expect((await h.call('POST', '/v1/contacts/search', { key, body: { pageSize: 1 } })).statusCode).toBe(200);
    expect((await h.call('GET', '/v1/credits', { key })).statusCode).toBe(403);
    const stored = await h.t.db
      .selectFrom('api_keys')
      .select(['name', 'key_hash'])
      .where('name', '=', 'cli-test')
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(key.slice(4));
  });

  it('issues keys for another seeded workspace', async () => {
    const { stdout } = await cli(['--scopes', 'WORKSPACE_READ', '--workspace', 'globex']);
    expect((await h.call('GET', '/v1/credits', { key: stdout.trim() })).json().data.balance).toBe(300);
  });

  // Each case spawns a process; they are independent, so they run side by side. A command line it
  // cannot run with is a usage error (exit 2, like every CLI of ours); a workspace it cannot find is not.
  it.concurrent.each([
    [[], '--scopes is required', 2],
    [['--scopes', 'ROOT'], 'Unknown scope ROOT', 2],
    [['--scopes', 'ALL', '--colour', 'red'], 'Unknown option --colour', 2],
    [['--scopes', 'ALL', '--workspace', 'initech'], 'No workspace "initech"', 1],
  ])('refuses %j with "%s" and exit code %i', async (args, message, code) => {
    const failure = await cli(args).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure?.code).toBe(code);
    expect(failure?.stderr).toContain(message);
    expect(failure?.stdout).toBe('');
  });
});
