import { describe, expect, it } from 'vitest';
import { followTestOutput } from '../src/test-output.ts';

// Lines as turbo streams them (vitest's colours included), recorded from `pnpm test:all --filter`.
const RECORDED = [
  '@enginy/config:test: cache bypass, force executing 2fa90c8cb878bf39',
  '@enginy/config:test: \x1b[1m\x1b[30m\x1b[46m RUN \x1b[49m\x1b[39m\x1b[22m \x1b[36mv4.1.12 \x1b[39m',
  '@enginy/config:test:  \x1b[32m✓\x1b[39m test/load.test.ts \x1b[2m(\x1b[22m\x1b[2m39 tests\x1b[22m\x1b[2m)\x1b[22m\x1b[33m 404\x1b[2mms',
  '@enginy/config:test:  \x1b[32m✓\x1b[39m test/cli-args.test.ts \x1b[2m(\x1b[22m\x1b[2m12 tests\x1b[22m\x1b[2m)',
  '@enginy/config:test: \x1b[2m Test Files \x1b[22m \x1b[1m\x1b[32m2 passed\x1b[39m',
  '@enginy/policy:test: $ vitest run --reporter=default',
  '@enginy/policy:test:  ❯ test/scopes.test.ts (12 tests | 1 failed) 30ms',
  '@enginy/policy:test:    × scopes > WRITE includes READ 3ms',
];

describe('followTestOutput', () => {
  it('steps once per package and counts its finished files', () => {
    const seen: string[] = [];
    const follow = followTestOutput({
      step: (label) => seen.push(`step ${label}`),
      detail: (text) => seen.push(`detail ${text}`),
    });
    for (const line of RECORDED) follow(line);
    follow(' ✓ fuzz/bad-input.test.ts (40 tests) 9000ms', '@enginy/hardening');
    expect(seen).toEqual([
      'step @enginy/config',
      'detail 1 file done, last test/load.test.ts',
      'detail 2 files done, last test/cli-args.test.ts',
      'step @enginy/policy',
      'detail 1 file done, last test/scopes.test.ts',
      'step @enginy/hardening',
      'detail 1 file done, last fuzz/bad-input.test.ts',
    ]);
  });
});
