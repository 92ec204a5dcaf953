// The closing tables of `pnpm test:all`, built from vitest JSON reports recorded in two real runs
// (packages/policy and packages/config; paths moved under /repo, assertion lists cut to two).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { timingTables, type VitestReport } from '../src/test-timings.ts';

const recorded = (name: string): VitestReport =>
  JSON.parse(readFileSync(new URL(`./fixtures/vitest-results-${name}.json`, import.meta.url), 'utf8'));
const packages = [
  { name: '@enginy/config', report: recorded('config') },
  { name: '@enginy/policy', report: recorded('policy') },
];

describe('timingTables', () => {
  it('gives seconds per package, slowest first, and the ten slowest files', () => {
    expect(timingTables(packages, '/repo')).toBe(
      [
        'Seconds per package (vitest start to last test end)',
        'package         seconds  files',
        '--------------  -------  -----',
        '@enginy/policy      7.4     14',
        '@enginy/config      6.3      2',
        'total              13.7     16',
        '',
        'The 10 slowest files (first test start to last test end; beforeAll not counted)',
        'file                                                            seconds',
        '--------------------------------------------------------------  -------',
        'packages/config/test/load.test.ts                                  0.40',
        'packages/policy/test/origin.test.ts                                0.05',
        'packages/config/test/cli-args.test.ts                              0.03',
        'packages/policy/test/effective-scopes.test.ts                      0.02',
        'packages/policy/test/authorization.test.ts                         0.02',
        'packages/policy/test/redirect-uri-matches-client.test.ts           0.01',
        'packages/policy/test/allowlist-entry.test.ts                       0.01',
        'packages/policy/test/scopes.test.ts                                0.01',
        'packages/policy/test/client-name.test.ts                           0.01',
        'packages/policy/test/redirect-uri-allowed-by-workspace.test.ts     0.01',
        '',
      ].join('\n'),
    );
  });

  it('counts a package with no test files as no time, and shows fewer files when there are fewer', () => {
    const empty = { ...recorded('config'), testResults: [] };
    const text = timingTables([{ name: '@enginy/empty', report: empty }, packages[0]!], '/repo');
    expect(text).toContain('@enginy/empty       0.0      0');
    expect(text).toContain('The 2 slowest files');
  });
});
