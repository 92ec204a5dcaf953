import { describe, expect, it } from 'vitest';
import { scopesBeyondGrant } from '../src/refresh-scope.ts';

describe('scopesBeyondGrant (RFC 6749 §6: a refresh never widens its grant)', () => {
  it.each([
    { requested: [], granted: ['CONTACTS_READ'], beyond: [] },
    { requested: ['CONTACTS_READ'], granted: ['CONTACTS_READ', 'LISTS_READ'], beyond: [] },
    { requested: ['CONTACTS_READ', 'offline_access'], granted: ['CONTACTS_READ'], beyond: [] },
    { requested: ['CONTACTS_WRITE'], granted: ['CONTACTS_READ'], beyond: ['CONTACTS_WRITE'] },
    { requested: ['CONTACTS_READ'], granted: ['ALL'], beyond: ['CONTACTS_READ'] },
    { requested: ['CONTACTS_READ'], granted: ['CONTACTS_WRITE'], beyond: ['CONTACTS_READ'] },
    { requested: ['LISTS_READ', 'ALL', 'CONTACTS_READ'], granted: ['CONTACTS_READ'], beyond: ['LISTS_READ', 'ALL'] },
  ])('$requested against a grant of $granted → beyond: $beyond', ({ requested, granted, beyond }) => {
    expect(scopesBeyondGrant(requested, granted)).toEqual(beyond);
  });
});
