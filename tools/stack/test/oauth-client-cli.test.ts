// `pnpm oauth-client create` as a person runs it: a redirect URI that clients could never register is
// refused before anything is stored (the registration-stage rule, @enginy/policy/redirect-uri).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/processes.ts';

const run = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = join(REPO_ROOT, 'tools/stack/src/oauth-client.ts');

describe('pnpm oauth-client create', () => {
  it.concurrent.each([
    ['http://evil.example/cb', 'http://evil.example/cb: redirect URIs must be https, or http on localhost/127.0.0.1'],
    [
      'https://app.example/cb#frag',
      'https://app.example/cb#frag: redirect URIs must be https, or http on localhost/127.0.0.1',
    ],
  ])('refuses %s with a clear message and a non-zero exit', async (uri, message) => {
    // No database is configured: the refusal must come before the CLI reads config or touches one.
    const failure = await run(TSX, [CLI, 'create', '--name', 'Bad', '--redirect-uri', uri], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 30_000,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain(message);
  });
});
