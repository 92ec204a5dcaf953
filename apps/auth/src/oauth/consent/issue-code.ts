import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createCode } from '@enginy/db/queries/oauth-tokens';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import type { ConsentContext } from './load-request.ts';

/** The authorization code for an approved request (RFC 6749 §4.1.2), stored only as a keyed hash. */
export async function issueCode(
  db: Db,
  config: StackConfig,
  context: ConsentContext,
  scopes: string[],
): Promise<string> {
  const code = newSecret('eac_');
  await createCode(db, {
    codeHash: hashSecret(config.tokenHashKey, code),
    clientId: context.pending.clientId,
    redirectUri: context.pending.redirectUri,
    codeChallenge: context.pending.codeChallenge,
    resource: context.pending.resource,
    workspaceId: context.workspace.id,
    userId: context.userId,
    scopes,
    expiresAt: new Date(Date.now() + config.oauth.codeTtlSeconds * 1000),
    requestId: context.pending.id,
    issuerPath: context.pending.issuerPath,
  });
  return code;
}
