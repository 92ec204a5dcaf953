import type { Db } from '@enginy/db/client';
import { findApiKey } from '@enginy/db/queries/api-keys';
import { API_KEY_PREFIX } from '@enginy/security/credentials';
import { apiError } from '../errors.ts';
import type { CredentialResolver } from './principal.ts';

// gsk_ + 32 random bytes in base64url (43 characters); anything else cannot be a key of ours.
const KEY_SHAPE = /^gsk_[A-Za-z0-9_-]{43}$/;

/** Resolves `x-api-key: gsk_...` to the key's workspace and scopes; `onUse` hears of each accepted key. */
export function apiKeyResolver(db: Db, hashKey: string, onUse: (keyId: string) => void = () => {}): CredentialResolver {
  return {
    name: 'api_key',
    presented: 'an x-api-key header',
    async resolve(headers) {
      const value = headers['x-api-key'];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !KEY_SHAPE.test(value.trim())) {
        throw apiError(
          'invalid_api_key',
          `Invalid API key: expected one ${API_KEY_PREFIX}... key in the x-api-key header`,
        );
      }
      const key = await findApiKey(db, hashKey, value.trim());
      if (key === undefined) throw apiError('invalid_api_key', 'Invalid API key: it does not exist or was revoked');
      onUse(key.id);
      return {
        kind: 'api_key',
        workspaceId: key.workspaceId,
        keyId: key.id,
        userId: key.createdBy ?? undefined,
        scopes: key.scopes,
      };
    },
  };
}
