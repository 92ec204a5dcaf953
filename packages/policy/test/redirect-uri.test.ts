import { describe, expect, it } from 'vitest';
import { isClientRedirectUri, isLoopbackRedirectUri, isRedirectUriAllowed, isValidRedirectUri, loopbackRedirectMatches, redirectUriHint } from '../src/redirect-uri.ts';

describe('isValidRedirectUri', () => {
  it.each([
    ['loopback http with port', 'http://localhost:3118/callback', true],
    ['loopback IPv4', 'http://127.0.0.1:3118/callback', true],
    ['loopback IPv6', 'http://[::1]:3118/callback', true],
    ['https anywhere', 'https://app.example.com/cb', true],
    ['private-use scheme', 'com.example.app:/cb', true],
    ['plain http to a remote host', 'http://evil.example.com/cb', false],
    ['a fragment', 'http://localhost:3118/callback#x', false],
    ['not a URL', 'callback', false],
    ['javascript scheme', 'javascript:alert(1)', false],
  ])('%s', (_rule, uri, expected) => {
    expect(isValidRedirectUri(uri)).toBe(expected);
  });
});

describe('isRedirectUriAllowed (exact)', () => {
  const allowed = ['http://localhost:3118/callback'];
  it.each([
    ['the same string', 'http://localhost:3118/callback', true],
    ['another port', 'http://localhost:3119/callback', false],
    ['127.0.0.1 for localhost', 'http://127.0.0.1:3118/callback', false],
    ['a trailing slash', 'http://localhost:3118/callback/', false],
    ['a different case', 'http://localhost:3118/Callback', false],
  ])('%s', (_rule, sent, expected) => {
    expect(isRedirectUriAllowed(allowed, sent)).toBe(expected);
  });
});

describe('loopbackRedirectMatches (RFC 8252 §7.3)', () => {
  it.each([
    ['portless registration, port in request', 'http://localhost/callback', 'http://localhost:3118/callback', true],
    ['IPv4 portless registration', 'http://127.0.0.1/callback', 'http://127.0.0.1:3118/callback', true],
    ['another path', 'http://localhost/callback', 'http://localhost:3118/other', false],
    ['another loopback host', 'http://localhost/callback', 'http://127.0.0.1:3118/callback', false],
    ['https is exact only', 'https://app.example.com/cb', 'https://app.example.com:444/cb', false],
    ['identical https', 'https://app.example.com/cb', 'https://app.example.com/cb', true],
  ])('%s', (_rule, registered, sent, expected) => {
    expect(loopbackRedirectMatches(registered, sent)).toBe(expected);
  });

  it('knows loopback URIs', () => {
    expect(isLoopbackRedirectUri('http://localhost/callback')).toBe(true);
    expect(isLoopbackRedirectUri('https://localhost/callback')).toBe(false);
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

describe('isClientRedirectUri (check 1, at /authorize)', () => {
  const registered = { kind: 'dynamic', metadataSource: null, redirectUris: ['http://localhost:3118/callback'] };
  const document = { kind: 'cimd', metadataSource: 'fetched', redirectUris: ['http://localhost/callback'] };
  const unverified = { kind: 'cimd', metadataSource: 'unverified', redirectUris: [] };
  it.each([
    ['a registered client: the exact URI', registered, 'http://localhost:3118/callback', true],
    ['a registered client: another port', registered, 'http://localhost:3119/callback', false],
    ['a metadata document: its loopback URI on any port (RFC 8252 §7.3)', document, 'http://localhost:3118/callback', true],
    ['a metadata document: another path', document, 'http://localhost:3118/other', false],
    ['a metadata document: another loopback host', document, 'http://127.0.0.1:3118/callback', false],
    ['an unverified client: any loopback URI', unverified, 'http://127.0.0.1:1455/callback', true],
    ['an unverified client: [::1]', unverified, 'http://[::1]:1455/cb', true],
    ['an unverified client: https', unverified, 'https://evil.example/callback', false],
    ['an unverified client: a private-use scheme', unverified, 'com.example.app:/cb', false],
    ['an unverified client: a loopback URI with a fragment', unverified, 'http://localhost:1/cb#x', false],
  ])('%s → %s', (_rule, client, sent, expected) => {
    expect(isClientRedirectUri(client, sent)).toBe(expected);
  });
});
