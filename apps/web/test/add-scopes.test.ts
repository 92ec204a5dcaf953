import { describe, expect, it } from 'vitest';
import { addScopesLink, preselection } from '../src/console/add-scopes.ts';

describe('addScopesLink', () => {
  it('names the scopes comma-separated and the workspace', () =>
    expect(addScopesLink('7d0c-ws', ['CONTACTS_WRITE', 'ALL'])).toBe(
      '/console/settings?addScopes=CONTACTS_WRITE,ALL&workspace=7d0c-ws',
    ));
});

describe('preselection', () => {
  const cases: [string, string[], string | null, ReturnType<typeof preselection>][] = [
    ['no parameter: nothing to tick', ['CONTACTS_READ'], null, { add: [], ignored: [] }],
    [
      'ticks the scopes the policy does not allow, once each, in order',
      ['CONTACTS_READ'],
      'MESSAGING_WRITE,CONTACTS_WRITE,MESSAGING_WRITE',
      { add: ['MESSAGING_WRITE', 'CONTACTS_WRITE'], ignored: [] },
    ],
    [
      'a scope the policy already allows (READ under its WRITE) is not ticked again',
      ['CONTACTS_WRITE'],
      'CONTACTS_READ,LISTS_READ',
      { add: ['LISTS_READ'], ignored: [] },
    ],
    [
      'names that are not scopes are ignored and reported',
      [],
      'CONTACTS_READ,offline_access,<b>',
      { add: ['CONTACTS_READ'], ignored: ['offline_access', '<b>'] },
    ],
    ['ALL asked for is ALL ticked', ['CONTACTS_READ'], 'ALL', { add: ['ALL'], ignored: [] }],
  ];
  for (const [rule, policy, param, expected] of cases) {
    it(rule, () => expect(preselection(policy, param)).toEqual(expected));
  }
});
