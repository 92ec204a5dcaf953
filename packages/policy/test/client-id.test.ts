import { describe, expect, it } from 'vitest';
import { isClientIdAllowed } from '../src/client-id.ts';

// The optional "Allowed OAuth client IDs" allowlist: empty admits every client, otherwise an exact,
// case-sensitive match of the whole client_id (a metadata-document URL included).
describe('isClientIdAllowed', () => {
  const CIMD = 'https://claude.ai/oauth/claude-code-client-metadata';
  it.each([
    { when: 'the allowlist is empty', allowed: [], clientId: 'any-client', verdict: true },
    { when: 'the client is listed', allowed: ['a', 'b'], clientId: 'b', verdict: true },
    { when: 'the client is not listed', allowed: ['a', 'b'], clientId: 'c', verdict: false },
    { when: 'only its case differs', allowed: ['Client-A'], clientId: 'client-a', verdict: false },
    { when: 'it is a prefix of a listed one', allowed: ['client-abc'], clientId: 'client-a', verdict: false },
    { when: 'a listed one is its prefix', allowed: ['client-a'], clientId: 'client-abc', verdict: false },
    { when: 'its metadata-document URL is listed', allowed: [CIMD], clientId: CIMD, verdict: true },
    { when: 'the same URL with a trailing slash', allowed: [CIMD], clientId: `${CIMD}/`, verdict: false },
    { when: 'it is empty and the allowlist is not', allowed: ['a'], clientId: '', verdict: false },
  ])('$when: $verdict', ({ allowed, clientId, verdict }) => {
    expect(isClientIdAllowed(allowed, clientId)).toBe(verdict);
  });
});
