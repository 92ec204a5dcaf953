// The GitHub Copilot CLI (@github/copilot), driven offline as tests/e2e/test/real-client-copilot-cli.test.ts
// does: `copilot mcp add`, `"auth": {"redirectPort": 3118}` in its entry (http://127.0.0.1:3118/callback
// allowlisted), and its interactive UI, where `/mcp auth enginy` signs in through the browser and a
// prompt to a stand-in model calls a tool. It names itself by its client ID metadata document
// (https://github.com/copilot/cli/client-metadata.json), never a registration. It refreshes on the
// first prompt after its stored expiry, or after a 401. Observed and asserted by
// tests/e2e/test/lab-agents-copilot-cli.test.ts; messages are quoted for the dev stack's URLs.
// refresh-no-grace: two UIs at once on one login; left alone, whether they refreshed the same token
// depended on the load, so the test holds one's refresh at a proxy until the other's has come.
import type { LabAgentRecord } from './record.ts';

export const COPILOT_CLI: LabAgentRecord = {
  agent: 'GitHub Copilot CLI',
  pkg: '@github/copilot',
  version: '1.0.102',
  test: 'tests/e2e/test/lab-agents-copilot-cli.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Its first prompt after the 3 s token expired refreshes it ("Refreshing authentication for enginy..." in its log): a refresh, 200 (and, under load, a second when the new 3 s token ran out before the call was done), and the call succeeds; no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'authorizes-again',
      seen: 'On the 403 it sends the person through the browser for what it held plus the challenged scope (the eleven *_READ scopes and CONTACTS_WRITE), redeems the code and the call goes through; once, with a refresh just before, the call in flight failed instead: "MCP server \'enginy\': MCP connection changed while authorizing retry".',
    },
    {
      scenario: 'forget-client',
      reaction: 'unaffected',
      seen: 'Its client ID is its metadata document URL, which the scenario does not forget: its refresh answers 200 and the call succeeds.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'unaffected',
      seen: '`/mcp auth enginy` signs in with its metadata-document client ID, never registering: "Successfully authenticated with enginy."',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'recovers',
      seen: '`/mcp auth enginy` follows the resource metadata to the /v2 issuer: it authorizes at http://localhost:3002/v2/authorize with the same metadata-document client ID (no registration), the callback carries iss …/v2, it says "Successfully authenticated with enginy." and the next call succeeds.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'proceeds',
      seen: 'Redeems the code although the callback\'s iss is http://localhost:3002/failure-lab-wrong-issuer, and `/mcp auth enginy` says "Successfully authenticated with enginy."',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'authorizes-again',
      seen: 'Its refresh answered 503, it neither waits for Retry-After nor tries the refresh again: it sends the person through the browser, whose code meets a 503 too, then through the browser once more (503 again), and the call fails: "MCP server \'enginy\': Re-authentication required for MCP server "enginy". Sign in again through your MCP client\'s authentication settings."; its next prompt signs in through the browser again.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'proceeds',
      seen: 'Uses the metadata although it states http://localhost:3001/mcp/: sends that resource to /authorize, which refuses it (invalid_target), and `/mcp auth enginy` says "Authentication failed: MCPOAuthError: OAuth error: resource must be http://localhost:3001/mcp".',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'authorizes-again',
      seen: 'Two interactive UIs on one stored login (its `-p` mode never uses it) refresh the same token once it has ended, made to overlap by holding the first refresh at a proxy until the second came: the first answers 200, the second invalid_grant, "The refresh token was already used; the connection is revoked and must be authorized again", which revokes the grant. The UI refused sends the person through the browser and its call succeeds on the new grant; the other, its new token refused, opens no browser and its call fails: "MCP server \'enginy\': Re-authentication required for MCP server "enginy". Sign in again through your MCP client\'s authentication settings.", then "MCP server \'enginy\' requires authentication. Use /mcp auth enginy to connect."',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, with its metadata-document client ID, and connects.",
    },
  ],
};
