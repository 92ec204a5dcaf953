import { newSecret } from './tokens.ts';

// The credentials Enginy hands out, minted here and stored only as keyed hashes (see hashSecret).

export const API_KEY_PREFIX = 'gsk_';

/** A new REST API key (`x-api-key`), shown once. */
export function newApiKey(): string {
  return newSecret(API_KEY_PREFIX);
}

/** A new secret for a pre-registered confidential OAuth client, shown once. */
export function newClientSecret(): string {
  return newSecret('ecs_');
}

/** Credentials for a new pre-registered confidential OAuth client: a random public id and its secret. */
export function newClientCredentials(): { clientId: string; clientSecret: string } {
  return { clientId: newSecret('ecl_').slice(0, 28), clientSecret: newClientSecret() };
}
