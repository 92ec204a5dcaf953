import { describe, expect, it } from 'vitest';
import { isLoopbackRedirectUri, loopbackRedirectMatches, redirectUriMatchesClient } from '../src/redirect-uri.ts';

// Stage: GET /authorize (check 1), against the client's own redirect URIs.
describe('redirectUriMatchesClient (check 1, at /authorize)', () => {
  const registered = { kind: 'dynamic', metadataSource: null, redirectUris: ['http://localhost:3118/callback'] };
  const document = { kind: 'cimd', metadataSource: 'fetched', redirectUris: ['http://localhost/callback'] };
  const unverified = { kind: 'cimd', metadataSource: 'unverified', redirectUris: [] };
  it.each([
    ['a registered client: the exact URI', registered, 'http://localhost:3118/callback', true],
    ['a registered client: another port', registered, 'http://localhost:3119/callback', false],
    [
      'a metadata document: its loopback URI on any port (RFC 8252 §7.3)',
      document,
      'http://localhost:3118/callback',
      true,
    ],
    ['a metadata document: another path', document, 'http://localhost:3118/other', false],
    ['a metadata document: another loopback host', document, 'http://127.0.0.1:3118/callback', false],
    ['an unverified client: any loopback URI', unverified, 'http://127.0.0.1:1455/callback', true],
    ['an unverified client: [::1]', unverified, 'http://[::1]:1455/cb', true],
    ['an unverified client: https', unverified, 'https://evil.example/callback', false],
    ['an unverified client: a private-use scheme', unverified, 'com.example.app:/cb', false],
    ['an unverified client: a loopback URI with a fragment', unverified, 'http://localhost:1/cb#x', false],
  ])('%s → %s', (_rule, client, sent, expected) => {
    expect(redirectUriMatchesClient(client, sent)).toBe(expected);
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
