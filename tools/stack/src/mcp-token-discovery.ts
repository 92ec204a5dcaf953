// Discovery as an MCP client does it, with the MCP SDK's own functions: an unauthenticated POST to the
// MCP URL answers 401 with a Bearer challenge (MCP authorization spec, RFC 9728 §5.1), whose
// resource_metadata leads to the protected-resource metadata, whose authorization server publishes
// RFC 8414 metadata with the endpoints the flow then uses.
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { Endpoints } from '@enginy/testing/oauth-client';
import { McpTokenFailure } from './mcp-token-failure.ts';

export interface Discovered {
  /** The RFC 8707 resource the token is bound to: the metadata's `resource`, sent verbatim. */
  resource: string;
  issuer: string;
  endpoints: Endpoints;
  /** What a client asks for by default: the challenge's scope, else the metadata's `scopes_supported`. */
  offeredScopes: string | undefined;
}

/** An initialize request, the first thing a Streamable HTTP client POSTs. */
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'enginy-mcp-token', version: '1' } },
};

export async function discover(mcpUrl: string): Promise<Discovered> {
  const answer = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(INITIALIZE),
  });
  await answer.body?.cancel();
  if (answer.status !== 401)
    throw new McpTokenFailure(`${mcpUrl} answered HTTP ${answer.status} without a token, not 401: is it an MCP URL?`);
  const challenge = extractWWWAuthenticateParams(answer);
  const prm = await discoverOAuthProtectedResourceMetadata(mcpUrl, {
    ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}),
  });
  const issuer = prm.authorization_servers?.[0];
  if (issuer === undefined)
    throw new McpTokenFailure(`The protected-resource metadata of ${mcpUrl} names no authorization server`);
  const as = await discoverAuthorizationServerMetadata(issuer);
  if (as === undefined) throw new McpTokenFailure(`No authorization-server metadata at ${issuer}`);
  if (as.registration_endpoint === undefined)
    throw new McpTokenFailure(`${issuer} offers no dynamic client registration (registration_endpoint)`);
  return {
    resource: prm.resource,
    issuer: as.issuer,
    endpoints: {
      registration: as.registration_endpoint,
      authorization: as.authorization_endpoint,
      token: as.token_endpoint,
    },
    // The SDK's own order (auth.ts): the challenge's scope, then the metadata's scopes_supported.
    offeredScopes: challenge.scope || prm.scopes_supported?.join(' ') || undefined,
  };
}
