import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/passwords.ts';
import { hashSecret, newSecret, openWithSecret, safeEqual, sealWithSecret } from '../src/tokens.ts';

describe('passwords', () => {
  it('stores argon2id hashes that verify only the right password', async () => {
    const stored = await hashPassword('enginy-dev');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'enginy-dev')).toBe(true);
    expect(await verifyPassword(stored, 'enginy-dev ')).toBe(false);
  });

  it('treats a malformed stored hash as a wrong password', async () => {
    expect(await verifyPassword('not-a-hash', 'enginy-dev')).toBe(false);
  });
});

describe('secrets', () => {
  it('makes distinct prefixed secrets', () => {
    const a = newSecret('gsk_');
    expect(a).toMatch(/^gsk_[A-Za-z0-9_-]{43}$/);
    expect(newSecret('gsk_')).not.toBe(a);
  });

  it('hashes with the key, so another key gives another hash', () => {
    expect(hashSecret('k'.repeat(32), 'token')).toBe(hashSecret('k'.repeat(32), 'token'));
    expect(hashSecret('k'.repeat(32), 'token')).not.toBe(hashSecret('j'.repeat(32), 'token'));
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('seals so that only the same secret opens, and a changed byte is refused', () => {
    const secret = newSecret('ert_');
    const sealed = sealWithSecret(secret, '{"refresh_token":"ert_next"}');
    expect(sealed.toString('utf8')).not.toContain('ert_next');
    expect(sealWithSecret(secret, 'same')).not.toEqual(sealWithSecret(secret, 'same')); // a fresh nonce each time
    expect(openWithSecret(secret, sealed)).toBe('{"refresh_token":"ert_next"}');
    expect(openWithSecret(newSecret('ert_'), sealed)).toBeUndefined();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(openWithSecret(secret, tampered)).toBeUndefined();
    expect(openWithSecret(secret, Buffer.alloc(5))).toBeUndefined();
  });
});
