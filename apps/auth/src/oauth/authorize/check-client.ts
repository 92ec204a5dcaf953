import { isMetadataDocumentUrl, resolveMetadataDocumentClient } from '../clients/cimd.ts';
import { findKnownClient, validClientId } from '../clients/resolve.ts';
import { type AuthorizeContext, known } from './context.ts';

/**
 * The client behind `client_id`, a metadata document URL or a registered/pre-registered client.
 * RFC 6749 §4.1.2.1: if the client identifier is "missing or invalid, the authorization server SHOULD
 * inform the resource owner of the error and MUST NOT automatically redirect", so its refusal
 * (invalid_client) is shown, never redirected (its stage, stages.ts).
 */
export async function checkClient(ctx: AuthorizeContext): Promise<void> {
  const { db, config } = ctx;
  const id = validClientId(known(ctx, 'parameters').client_id);
  const documentUrl = isMetadataDocumentUrl(id, config);
  ctx.resolved =
    documentUrl !== undefined
      ? await resolveMetadataDocumentClient(db, config, documentUrl)
      : { client: await findKnownClient(db, id), source: null };
}
