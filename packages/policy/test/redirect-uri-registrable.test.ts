import { describe, expect, it } from 'vitest';
import { redirectUriRegistrable } from '../src/redirect-uri.ts';

// Stage: registration (POST /register, metadata documents, console clients).
describe('redirectUriRegistrable', () => {
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
    expect(redirectUriRegistrable(uri)).toBe(expected);
  });
});
