import { describe, expect, it } from 'vitest';
import { spentCodeVerdict } from '../src/spent-code.ts';

describe('spentCodeVerdict (RFC 6749 §4.1.2 revocation, only by the code owner: RFC 6749 §4.1.3, RFC 9700 §2.1.1)', () => {
  it.each([
    { who: 'its public client with the right verifier', owner: true, secret: false, verifier: true, verdict: 'revoke' },
    {
      who: 'its public client with a wrong verifier',
      owner: true,
      secret: false,
      verifier: false,
      verdict: 'wrong_verifier',
    },
    { who: 'its confidential client, authenticated', owner: true, secret: true, verifier: true, verdict: 'revoke' },
    {
      who: 'its confidential client, authenticated, wrong verifier',
      owner: true,
      secret: true,
      verifier: false,
      verdict: 'revoke',
    },
    {
      who: 'another public client with the right verifier',
      owner: false,
      secret: false,
      verifier: true,
      verdict: 'another_client',
    },
    {
      who: 'another public client with a wrong verifier',
      owner: false,
      secret: false,
      verifier: false,
      verdict: 'another_client',
    },
    { who: 'another confidential client', owner: false, secret: true, verifier: true, verdict: 'another_client' },
  ])('presented by $who → $verdict', ({ owner, secret, verifier, verdict }) => {
    expect(
      spentCodeVerdict({ issuedToThisClient: owner, clientAuthenticated: secret, verifierMatches: verifier }),
    ).toBe(verdict);
  });
});
