import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

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
