import { describe, expect, it } from 'vitest';
import { clientIdEntryProblem, redirectUriEntryProblem } from '../src/allowlist-entry.ts';

describe('redirectUriEntryProblem', () => {
  it.each([
    ['a loopback callback', 'http://localhost:3118/callback', undefined],
    ['https anywhere', 'https://app.example.com/cb', undefined],
    ['a private-use scheme', 'com.example.app:/cb', undefined],
    // Allowed in the list (the settings then warn that no client can register it).
    ['plain http to a remote host', 'http://example.com/cb', undefined],
    ['empty', '', 'must not be empty or have surrounding spaces'],
    ['a leading space', ' http://localhost:3118/callback', 'must not be empty or have surrounding spaces'],
    ['a trailing newline', 'http://localhost:3118/callback\n', 'must not be empty or have surrounding spaces'],
    ['a relative path', '/callback', 'must be an absolute URI, e.g. http://localhost:3118/callback'],
    ['host:port without a scheme parses as a scheme', 'localhost:3118/callback#x', 'must not contain a fragment (#)'],
    ['a fragment', 'http://localhost:3118/callback#x', 'must not contain a fragment (#)'],
    ['an empty fragment', 'http://localhost:3118/callback#', 'must not contain a fragment (#)'],
  ])('%s', (_rule, value, expected) => {
    expect(redirectUriEntryProblem(value)).toBe(expected);
  });
});

describe('clientIdEntryProblem', () => {
  it.each([
    ['a metadata document URL', 'https://claude.ai/oauth/claude-code-client-metadata', undefined],
    ['an opaque registered ID', 'c_0f3a', undefined],
    ['inner spaces are kept', 'my client', undefined],
    ['empty', '', 'must not be empty or have surrounding spaces'],
    ['a leading space', ' c_0f3a', 'must not be empty or have surrounding spaces'],
    ['only spaces', '   ', 'must not be empty or have surrounding spaces'],
  ])('%s', (_rule, value, expected) => {
    expect(clientIdEntryProblem(value)).toBe(expected);
  });
});
