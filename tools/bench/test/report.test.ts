// The goals table: a goal is decided only by runs that answered every request.
import { expect, it } from 'vitest';
import type { Measurement } from '../src/measure.ts';
import { comparisonGoal } from '../src/report.ts';

const row = (scenario: string, rate: number, errors = 0): Measurement => ({
  scenario,
  connections: 50,
  rate,
  unit: 'req/s',
  p50: 1,
  p99: 2,
  total: rate * 6,
  errors,
});
const quarterOfBare = (read: Measurement | undefined, bare: Measurement | undefined) =>
  comparisonGoal(
    'get_credits (read) at 50 conns ≥ 1/4 of the bare route',
    [read, bare],
    'not measured',
    (ours, theirs) => `${(ours.rate / theirs.rate).toFixed(2)}`,
    (ours, theirs) => ours.rate * 4 >= theirs.rate,
  );

it('is met or missed from two clean runs', () => {
  expect(quarterOfBare(row('read', 3000), row('bare', 10_000))).toEqual([expect.any(String), '0.30', true]);
  expect(quarterOfBare(row('read', 2000), row('bare', 10_000))).toEqual([expect.any(String), '0.20', false]);
});

it('is not decided by a run with errors, and says which run had them', () => {
  // 27,367 answers that were 429s once the per-minute limit ran out: fast, and not the work.
  const [, measured, met] = quarterOfBare(row('read', 20_000, 27_367), row('bare', 26_000));
  expect(met).toBeUndefined();
  expect(measured).toBe('not counted: read at 50 conns had 27367 errors');
});

it('is not measured without both runs', () => {
  expect(quarterOfBare(undefined, row('bare', 10_000))).toEqual([expect.any(String), 'not measured', undefined]);
});
