import { describe, expect, it } from 'vitest';
import { consentScopeChange, scopesToStepUp } from '../src/step-up.ts';

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

describe('consentScopeChange: what Approve adds beside what the user already granted', () => {
  it('a first authorization: everything is new', () => {
    expect(consentScopeChange(['CONTACTS_READ', 'WORKSPACE_READ'], [])).toEqual({
      added: ['CONTACTS_READ', 'WORKSPACE_READ'],
      kept: [],
      notAsked: [],
    });
  });

  it('step-up asking for the union: the new scope apart from the ones granted before', () => {
    expect(
      consentScopeChange(['CONTACTS_READ', 'CONTACTS_WRITE', 'WORKSPACE_READ'], ['WORKSPACE_READ', 'CONTACTS_READ']),
    ).toEqual({
      added: ['CONTACTS_WRITE'],
      kept: ['CONTACTS_READ', 'WORKSPACE_READ'],
      notAsked: [],
    });
  });

  it('step-up asking for the challenged scope alone: the earlier ones are named as not asked for', () => {
    expect(consentScopeChange(['CONTACTS_WRITE'], ['CONTACTS_READ', 'WORKSPACE_READ'])).toEqual({
      added: ['CONTACTS_WRITE'],
      kept: [],
      notAsked: ['CONTACTS_READ', 'WORKSPACE_READ'],
    });
  });

  it('asking again for the same: nothing new', () => {
    expect(consentScopeChange(['CONTACTS_READ'], ['CONTACTS_READ'])).toEqual({
      added: [],
      kept: ['CONTACTS_READ'],
      notAsked: [],
    });
  });
});
