import { describe, expect, it } from 'vitest';
import { grantCut } from '../src/grant-cut.ts';

describe('grantCut: what the policy cuts from a grant', () => {
  it.each([
    ['nothing when the policy allows the grant', ['CONTACTS_READ'], ['CONTACTS_READ'], []],
    ['a READ the policy dropped', ['WORKSPACE_READ', 'CONTACTS_READ'], ['WORKSPACE_READ'], ['CONTACTS_READ']],
    ['the WRITE of a policy narrowed to READ, not its READ', ['CONTACTS_WRITE'], ['CONTACTS_READ'], ['CONTACTS_WRITE']],
    [
      'both halves of a WRITE the policy dropped',
      ['CONTACTS_WRITE'],
      ['WORKSPACE_READ'],
      ['CONTACTS_READ', 'CONTACTS_WRITE'],
    ],
    [
      'ALL under a narrow policy: every other scope, by name',
      ['ALL'],
      [
        'MESSAGING_WRITE',
        'WORKSPACE_READ',
        'IDENTITIES_READ',
        'OWNERS_READ',
        'CAMPAIGNS_WRITE',
        'CONTACTS_WRITE',
        'COMPANIES_WRITE',
        'LISTS_WRITE',
        'AI_VARIABLES_WRITE',
        'ANALYTICS_READ',
      ],
      ['ACTIONS_READ', 'ACTIONS_WRITE'],
    ],
    [
      'everything when nothing is allowed (MCP off, policy inactive)',
      ['CONTACTS_READ', 'LISTS_READ'],
      [],
      ['CONTACTS_READ', 'LISTS_READ'],
    ],
    [
      'the effective scopes give the same answer as the ceiling',
      ['CONTACTS_WRITE', 'LISTS_READ'],
      ['CONTACTS_READ'],
      ['CONTACTS_WRITE', 'LISTS_READ'],
    ],
    ['unknown granted names are never cut (they never allowed anything)', ['CONTACTS_ADMIN'], [], []],
  ])('%s', (_rule, granted, allowed, expected) => {
    expect(grantCut(granted, allowed)).toEqual(expected);
  });
});
