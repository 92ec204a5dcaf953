// `pnpm bench --url <a stack that is not there>`: one line saying so and exit 1, before anything is
// issued on a database or an embedded PostgreSQL is started for it (it once ended in a driver's
// stack trace, "relation "api_keys" does not exist", from a database it had just created).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@enginy/stack/ports';
import { afterAll, expect, it } from 'vitest';

const BENCH = join(import.meta.dirname, '..', 'src', 'bench.ts');
const dataRoot = mkdtempSync(join(tmpdir(), 'enginy-bench-url-'));
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

it('says that nothing answers at the URL, and starts nothing', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const dataDir = join(dataRoot, 'pg');
  const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', BENCH, 'mcp', '--url', url], {
    env: { ...process.env, EMBEDDED_PG_PORT: String(await freePort()), EMBEDDED_PG_DATA_DIR: dataDir },
  }).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stdout).toBe('');
  expect(failed?.stderr).toBe(
    `pnpm bench: nothing answers at ${url} (ECONNREFUSED): start the stack (npm start), or leave out --url and the bench starts one\n`,
  );
  expect(existsSync(dataDir)).toBe(false);
});
