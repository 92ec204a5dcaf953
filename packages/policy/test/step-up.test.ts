import { describe, expect, it } from 'vitest';
import { scopesToStepUp } from '../src/step-up.ts';

describe('scopesToStepUp: what a new authorization could add for a call', () => {
  it.each([
    [
      'nothing when the call lacks nothing',
      ['CONTACTS_READ'],
      ['CONTACTS_READ', 'LISTS_READ'],
      ['CONTACTS_READ'],
      undefined,
    ],
    [
      'the missing scope the policy allows',
      ['CONTACTS_READ'],
      ['CONTACTS_READ', 'LISTS_READ'],
      ['LISTS_READ'],
      ['LISTS_READ'],
    ],
    ['a WRITE under a WRITE policy', ['CONTACTS_READ'], ['CONTACTS_WRITE'], ['CONTACTS_WRITE'], ['CONTACTS_WRITE']],
    [
      'nothing when the policy does not allow it either',
      ['CONTACTS_READ'],
      ['CONTACTS_READ'],
      ['CONTACTS_WRITE'],
      undefined,
    ],
    [
      'nothing when the policy allows only a part',
      ['CONTACTS_READ'],
      ['LISTS_READ'],
      ['LISTS_READ', 'MESSAGING_WRITE'],
      undefined,
    ],
    ['ALL in the policy allows any', [], ['ALL'], ['ACTIONS_WRITE'], ['ACTIONS_WRITE']],
  ] as const)('%s', (_case, effective, policy, required, expected) => {
    expect(scopesToStepUp(effective, policy, required)).toEqual(expected);
  });
});
