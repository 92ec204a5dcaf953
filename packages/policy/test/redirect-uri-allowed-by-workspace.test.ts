import { describe, expect, it } from 'vitest';
import { redirectUriAllowedByWorkspace, redirectUriHint } from '../src/redirect-uri.ts';

// Stage: consent, against the chosen workspace's allowlist.
describe('redirectUriAllowedByWorkspace (exact)', () => {
  const allowed = ['http://localhost:3118/callback'];
  it.each([
    ['the same string', 'http://localhost:3118/callback', true],
    ['another port', 'http://localhost:3119/callback', false],
    ['127.0.0.1 for localhost', 'http://127.0.0.1:3118/callback', false],
    ['a trailing slash', 'http://localhost:3118/callback/', false],
    ['a different case', 'http://localhost:3118/Callback', false],
  ])('%s', (_rule, sent, expected) => {
    expect(redirectUriAllowedByWorkspace(allowed, sent)).toBe(expected);
  });
});

describe('redirectUriHint', () => {
  const allowed = ['http://localhost:3118/callback'];
  it.each([
    ['host alias', 'http://127.0.0.1:3118/callback', 'host (127.0.0.1 vs localhost)'],
    ['port', 'http://localhost:4000/callback', 'port (4000 vs 3118)'],
    ['trailing slash', 'http://localhost:3118/callback/', 'trailing slash'],
  ])('names a difference of %s', (_rule, sent, fragment) => {
    expect(redirectUriHint(allowed, sent)).toContain(fragment);
  });

  it('gives no hint for an unrelated URI', () => {
    expect(redirectUriHint(allowed, 'http://localhost:3118/oauth/callback')).toBeUndefined();
  });
});
