import { describe, expect, it } from 'vitest';
import {
  allows,
  expandScopes,
  missingScopes,
  parseScopeParam,
  READ_SCOPES,
  SCOPE_LIST,
  unknownScopes,
} from '../src/scopes.ts';

describe('scope list', () => {
  it('has every Enginy scope and ALL', () => {
    expect(SCOPE_LIST).toContain('MESSAGING_WRITE');
    expect(SCOPE_LIST).toContain('WORKSPACE_READ');
    expect(SCOPE_LIST.at(-1)).toBe('ALL');
    expect(SCOPE_LIST).toHaveLength(19); // the 18 scopes of the product docs, and ALL
    expect(READ_SCOPES.every((scope) => scope.endsWith('_READ'))).toBe(true);
  });
});

describe('allows', () => {
  it.each([
    ['a scope allows itself', ['CONTACTS_READ'], 'CONTACTS_READ', true],
    ['WRITE includes the matching READ', ['CONTACTS_WRITE'], 'CONTACTS_READ', true],
    ['READ does not include WRITE', ['CONTACTS_READ'], 'CONTACTS_WRITE', false],
    ['WRITE does not include another resource', ['CONTACTS_WRITE'], 'COMPANIES_READ', false],
    ['ALL allows any scope', ['ALL'], 'MESSAGING_WRITE', true],
    ['ALL allows ALL', ['ALL'], 'ALL', true],
    ['reads do not add up to ALL', READ_SCOPES, 'ALL', false],
    ['unknown names allow nothing', ['CONTACTS_ADMIN'], 'CONTACTS_READ', false],
    ['nothing allows nothing', [], 'WORKSPACE_READ', false],
  ])('%s', (_rule, held, required, expected) => {
    expect(allows(held, required)).toBe(expected);
  });
});

describe('expandScopes, missingScopes', () => {
  it('expands WRITE to READ + WRITE', () => {
    expect([...expandScopes(['LISTS_WRITE'])].sort()).toEqual(['LISTS_READ', 'LISTS_WRITE']);
  });

  it('lists exactly the missing scopes', () => {
    expect(missingScopes(['CONTACTS_READ'], ['CONTACTS_READ', 'CONTACTS_WRITE', 'LISTS_READ'])).toEqual([
      'CONTACTS_WRITE',
      'LISTS_READ',
    ]);
  });
});

describe('unknownScopes', () => {
  it.each([
    ['known scopes pass', ['CONTACTS_READ', 'ALL'], []],
    ['an unknown name is named', ['CONTACTS_READ', 'ROOT'], ['ROOT']],
    ['names are case-sensitive', ['contacts_read'], ['contacts_read']],
    ['unknown names keep their order', ['X', 'CONTACTS_READ', 'Y'], ['X', 'Y']],
    ['nothing is nothing unknown', [], []],
  ])('%s', (_rule, scopes, expected) => {
    expect(unknownScopes(scopes)).toEqual(expected);
  });
});

describe('parseScopeParam', () => {
  it('splits on spaces and drops duplicates and blanks', () => {
    expect(parseScopeParam(' CONTACTS_READ  LISTS_READ CONTACTS_READ')).toEqual(['CONTACTS_READ', 'LISTS_READ']);
    expect(parseScopeParam(undefined)).toEqual([]);
  });
});
