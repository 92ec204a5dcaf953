// The MCP SDK client (`StreamableHTTPClientTransport` with an OAuthClientProvider), driven by a host
// written as the SDK's example client: on UnauthorizedError the person approves in the browser and the
// host calls `finishAuth(code)`. Its provider keeps client and tokens in memory and, like the SDK's
// example provider, implements no `invalidateCredentials`. Observed and asserted by
// tests/e2e/test/lab-agents-sdk-client.test.ts; messages are quoted for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const SDK_CLIENT: LabAgentRecord = {
  agent: 'MCP SDK client',
  pkg: '@modelcontextprotocol/sdk',
  version: '1.32.2',
  test: 'tests/e2e/test/lab-agents-sdk-client.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Never refreshes ahead of expires_in: the first call after expiry gets 401, it refreshes once (grant_type refresh_token) and repeats the call; no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'On the 403 it refreshes (which cannot widen the grant), gets the same 403 and throws "Streamable HTTP error: Server returned 403 after trying upscoping"; the person is never sent to authorize CONTACTS_WRITE.',
      report: 'https://github.com/modelcontextprotocol/typescript-sdk/issues/2255',
    },
    {
      scenario: 'forget-client',
      reaction: 'stops',
      seen: 'Refreshes with the forgotten client_id twice (both 401 invalid_client), never registers again, and throws the server\'s description: "Unknown client_id <id>; register the client again".',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: 'Its provider sets no clientMetadataUrl (a metadata-document client ID); after discovery it throws "Incompatible auth server: does not support dynamic client registration", before registering or authorizing.',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'authorizes-again',
      seen: 'Its tokens keep working at the MCP endpoint until they expire; then, on the 401, it discovers the new issuer, discards the client and tokens stamped with the old one (no refresh is tried), registers again at /v2 and sends the person through the browser once, at the new issuer, whose iss the callback carries.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'proceeds',
      seen: "Redeems the code although the callback's iss names another issuer, and connects: finishAuth(code) takes no iss, so the host cannot hand it over.",
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503: it does not wait for Retry-After nor retry, and throws the server\'s description "The token endpoint is unavailable (failure lab: token-unavailable); try again shortly"; it keeps its refresh token.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: 'Refuses the metadata before registering: "Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp (or origin)".',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'stops',
      seen: 'A second session on the same stored login refreshes the token the first had already rotated: invalid_grant, the grant is revoked, and both sessions throw "The refresh token was revoked" (each after two refreshes); no new sign-in is offered.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), registers with that scope and connects.",
    },
  ],
};
