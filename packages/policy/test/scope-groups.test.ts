import { describe, expect, it } from 'vitest';
import { groupScopes } from '../src/scope-groups.ts';

describe('groupScopes', () => {
  it.each([
    [
      'reads only',
      ['CONTACTS_READ', 'LISTS_READ'],
      [
        { resource: 'CONTACTS', scopes: ['CONTACTS_READ'], write: false },
        { resource: 'LISTS', scopes: ['LISTS_READ'], write: false },
      ],
    ],
    [
      'a write is flagged',
      ['CONTACTS_WRITE', 'CONTACTS_READ'],
      [{ resource: 'CONTACTS', scopes: ['CONTACTS_WRITE', 'CONTACTS_READ'], write: true }],
    ],
    [
      'AI_VARIABLES is not confused with another prefix',
      ['AI_VARIABLES_READ'],
      [{ resource: 'AI_VARIABLES', scopes: ['AI_VARIABLES_READ'], write: false }],
    ],
    ['ALL stands alone', ['ALL'], [{ resource: 'ALL', scopes: ['ALL'], write: true }]],
  ])('%s', (_rule, scopes, expected) => {
    expect(groupScopes(scopes)).toEqual(expected);
  });
});
