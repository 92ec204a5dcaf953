import { describe, expect, it } from 'vitest';
import { redirectUriTrustedUnattended } from '../src/redirect-uri.ts';

// Stage: GET /authorize, an error before any user interaction (RFC 9700 §4.18).
describe('redirectUriTrustedUnattended', () => {
  it.each([
    ['a loopback URI (native app, RFC 8252 §7.3)', 'http://localhost:3118/callback', true],
    ['a loopback IPv4 URI', 'http://127.0.0.1:1455/callback', true],
    ['a private-use scheme (native app, RFC 8252 §7.1)', 'com.example.app:/oauth/callback', true],
    ['an https URI nobody has vouched for yet', 'https://phish.example/login', false],
    ['plain http to a remote host', 'http://evil.example/landing', false],
  ])('%s → %s', (_rule, redirectUri, expected) => {
    expect(redirectUriTrustedUnattended(redirectUri)).toBe(expected);
  });
});
