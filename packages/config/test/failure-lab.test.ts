import { describe, expect, it } from 'vitest';
import { findLabScenario, LAB_SCENARIO_NAMES, LAB_SCENARIOS, parseLabOptions } from '../src/failure-lab.ts';

const expire = findLabScenario('expire-access');
const unavailable = findLabScenario('token-unavailable');
const noDcr = findLabScenario('no-dcr');

describe('the failure-lab catalogue', () => {
  it('names each scenario once, with a description, a clause and https report links', () => {
    expect(new Set(LAB_SCENARIO_NAMES).size).toBe(LAB_SCENARIOS.length);
    for (const scenario of LAB_SCENARIOS) {
      expect(scenario.description).not.toBe('');
      expect(scenario.clause).not.toBe('');
      for (const report of scenario.reports)
        expect(report).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+$/);
    }
  });

  it('no-dcr is global (registration is one per authorization server)', () => {
    expect(noDcr?.workspaceSense).toBe(false);
  });
});

describe('parseLabOptions', () => {
  it.each([
    ['defaults when none given', expire, {}, { ok: true, options: { seconds: 30 } }],
    ['a valid --seconds', expire, { seconds: '5' }, { ok: true, options: { seconds: 5 } }],
    ['the default --count', unavailable, {}, { ok: true, options: { count: 3 } }],
  ] as const)('%s', (_case, scenario, given, expected) => {
    expect(parseLabOptions(scenario as NonNullable<typeof expire>, given)).toEqual(expected);
  });

  it.each([
    ['a negative --seconds', expire, { seconds: '-5' }, /--seconds must be a whole number from 1 to 86400/],
    ['zero seconds', expire, { seconds: '0' }, /from 1 to/],
    ['a fraction', expire, { seconds: '1.5' }, /not "1.5"/],
    ['text', unavailable, { count: 'many' }, /--count must be a whole number/],
    [
      'an unknown option, naming the valid ones',
      expire,
      { count: '3' },
      /has no option --count; its options: --seconds/,
    ],
    ['any option of a scenario without options', noDcr, { seconds: '3' }, /its options: none/],
  ] as const)('refuses %s', (_case, scenario, given, message) => {
    const parsed = parseLabOptions(scenario as NonNullable<typeof expire>, given);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});
