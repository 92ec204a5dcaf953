// Gemini CLI (@google/gemini-cli), driven offline: `gemini mcp add --transport http enginy <url>` with
// the recipe's `oauth.redirectUri` (http://localhost:3118/oauth/callback), `/mcp auth enginy` in its
// interactive UI through the browser, `gemini mcp list`, which connects with the token it stored, and
// `gemini -p --yolo` against a stand-in for the Gemini API (tests/e2e/src/gemini-model-server.ts) for a tool call.
// It registers (DCR) on every `/mcp auth`, asks for the authorization server metadata's whole
// scopes_supported, and counts a token as expired 5 minutes before it is. Observed and asserted by
// tests/e2e/test/lab-agents-gemini.test.ts; messages are quoted for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const GEMINI: LabAgentRecord = {
  agent: 'Gemini CLI',
  pkg: '@google/gemini-cli',
  version: '0.61.0',
  test: 'tests/e2e/test/lab-agents-gemini.test.ts',
  observations: [
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'Does not authorize again: no browser, no /authorize, no new token. Its MCP SDK answers the 403 by trying to register a client with no redirect URI, which /register refuses, and `gemini -p` prints "Error executing tool mcp_enginy_create_contact: Error: MCP tool \'create_contact\' reported an error."; the model is handed "redirect_uris must list at least one URI".',
    },
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Refreshes before every request, since it counts a token as expired 5 minutes before it is: one `gemini mcp list` refreshes several times, each answered 200, and says "✓ enginy … - Connected"; no new sign-in.',
    },
    {
      scenario: 'forget-client',
      reaction: 'stops',
      seen: 'Its refresh is refused (invalid_client); it prints "Failed to refresh auth token.", deletes its stored token and `gemini mcp list` says "✗ enginy … - Disconnected". The next `/mcp auth` registers again (a new client_id), as every `/mcp auth` does, and signs in.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: '`/mcp auth` fails at once, before any browser: "Failed to authenticate with MCP server \'enginy\': No client ID provided and dynamic registration not supported"; its callback listener stays open on the redirect port.',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'recovers',
      seen: '`/mcp auth` follows the resource metadata to the /v2 issuer: registers there, authorizes at /v2/authorize (the callback carries iss …/v2), redeems the code there and connects.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'stops',
      seen: 'Refuses the callback and redeems nothing: "Failed to authenticate with MCP server \'enginy\': Issuer mismatch in authorization response - possible OAuth mix-up attack".',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503 (two of the three left): it never waits for Retry-After nor tries again; it prints "Failed to refresh auth token.", deletes its stored token and is "Disconnected" until `/mcp auth`.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: '`/mcp auth` refuses before registering: "Failed to authenticate with MCP server \'enginy\': Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp".',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'stops',
      seen: 'One `gemini mcp list` refreshes before each of its requests, and two of them refresh with the same refresh token at once (on the first list in each of the 6 runs measured): the second is answered invalid_grant, "The refresh token was already used; the connection is revoked and must be authorized again". It prints "Failed to refresh auth token." though that list says Connected; the next `gemini mcp list` says "✗ enginy … - Disconnected", its stored token deleted, until `/mcp auth` signs in again.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the authorization server metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, and connects.",
    },
  ],
};
