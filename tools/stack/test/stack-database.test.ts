// The commands that work on the dev stack's database (stack-database.ts), when that database cannot be
// reached: the reason on one line, exit 1, no stack trace, and nothing started.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/ports.ts';
import { REPO_ROOT } from '../src/processes.ts';

const run = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');

describe('a command on an unreachable DATABASE_URL', () => {
  it.concurrent.each([
    ['api-key', ['--scopes', 'CONTACTS_READ']],
    ['oauth-client', ['create', '--name', 'Script', '--redirect-uri', 'http://127.0.0.1:8976/callback']],
    ['lab', ['status']],
  ])('pnpm %s says why in one line and exits 1', async (command, args) => {
    // A port nothing listens on: the connection is refused at once.
    const url = `postgres://enginy:secret-password@127.0.0.1:${await freePort()}/enginy`;
    const failure = await run(TSX, [join(REPO_ROOT, `tools/stack/src/${command}.ts`), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url },
      timeout: 30_000,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Cannot connect to PostgreSQL at postgres:\/\/enginy:\*\*\*@127\.0\.0\.1:\d+\/enginy/),
    ]);
    expect(failure?.stderr).not.toContain('secret-password');
    expect(failure?.stdout).toBe('');
  });
});
