import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * A new opaque secret: 32 random bytes, base64url, behind a short prefix that tells a person
 * (and a secret scanner) what it is, e.g. `gsk_` for API keys.
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored only as this keyed hash (HMAC-SHA256), so a database dump holds no usable token. */
export function hashSecret(key: string, secret: string): string {
  return createHmac('sha256', keyObject(key)).update(secret).digest('base64url');
}

// A process has one or two hash keys; importing a key on every hash is a third of its cost.
const keyObjects = new Map<string, KeyObject>();
function keyObject(key: string): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = createSecretKey(Buffer.from(key, 'utf8'));
    keyObjects.set(key, object);
  }
  return object;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// Sealing with a secret: AES-256-GCM under a key derived (HKDF-SHA256) from the secret itself, so
// only someone who holds the secret can read what was sealed; the server's keys cannot.
const SEAL_INFO = 'enginy: sealed with a secret';
const sealKey = (secret: string) => Buffer.from(hkdfSync('sha256', secret, '', SEAL_INFO, 32));

/** `plaintext` encrypted so that only `secret` (a high-entropy token) opens it: nonce, tag, ciphertext. */
export function sealWithSecret(secret: string, plaintext: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]);
}

/** What `sealWithSecret` sealed, or undefined when `secret` is not the one it was sealed with. */
export function openWithSecret(secret: string, sealed: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
