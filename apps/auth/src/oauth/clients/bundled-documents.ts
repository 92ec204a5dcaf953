// Copies of the public client ID metadata documents of well-known MCP clients, used only when the
// live document cannot be fetched because its host is unreachable (a laptop offline, CI), and only
// where enabled (CIMD_BUNDLED_DOCUMENTS; on in development). A document is bundled only when its
// content is established; others go through the unverified path instead.
import { knownClient } from '@enginy/config/known-clients';

const claudeCode = knownClient('claude-code');

export const BUNDLED_DOCUMENTS: ReadonlyMap<string, Record<string, unknown>> = new Map([
  [
    claudeCode.metadataDocumentUrl as string,
    {
      client_id: claudeCode.metadataDocumentUrl,
      client_name: claudeCode.name,
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    },
  ],
]);
