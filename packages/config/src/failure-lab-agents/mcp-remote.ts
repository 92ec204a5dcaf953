// mcp-remote (the stdio bridge; it bundles the MCP SDK 2.x client), spawned as a host spawns it with
// `<mcp-url> 3118 --callback-path /callback` and a fresh MCP_REMOTE_CONFIG_DIR. Observed and asserted
// by tests/e2e/test/lab-agents-mcp-remote.test.ts; messages are quoted for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const MCP_REMOTE: LabAgentRecord = {
  agent: 'mcp-remote',
  pkg: 'mcp-remote',
  version: '0.15.1',
  test: 'tests/e2e/test/lab-agents-mcp-remote.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Refreshes before the token expires ("Refreshed the access token before it expired"): within its 60 s margin that is before every request, so with a 3 s token every request refreshes; never a 401, never a new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'authorizes-again',
      seen: 'Opens the browser for what it held plus the challenged scope ("Authorizing with the scope the server asked for: …_READ … CONTACTS_WRITE"), redeems the code and repeats the call, which succeeds.',
    },
    {
      scenario: 'forget-client',
      reaction: 'authorizes-again',
      seen: 'Its refresh is refused ("Proactive token refresh failed, falling back to the stored token"); on the 401 it registers again (a new client_id) and sends the person through the browser; the call then succeeds.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: 'Exits at start: "Fatal error: Error: Incompatible auth server: does not support dynamic client registration"; its MCP client sees "MCP error -32000: Connection closed".',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'stops',
      seen: 'Refuses the authorization response before redeeming the code and exits: "Fatal error: IssuerMismatchError: Issuer mismatch in authorization response (RFC 9207): expected "http://localhost:3002", received "http://localhost:3002/failure-lab-wrong-issuer"".',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'Spends all three 503s at once (two refreshes ahead of expiry, one after the 401), never waiting for Retry-After, and fails the call: "MCP error -32001: mcp-remote: The token endpoint is unavailable (failure lab: token-unavailable); try again shortly".',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: 'Exits before registering: "Fatal error: Error: Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp (or origin)".',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'unaffected',
      seen: 'In one process its refreshes never reuse a token: two calls at once after expiry both succeed, every refresh answered 200.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes) and connects.",
    },
    {
      scenario: 'issuer-moved',
      reaction: 'unaffected',
      seen: 'Signed in before the move, it keeps refreshing at the old issuer ahead of expiry, so no 401 ever sends it back to the metadata: every refresh 200 and its calls succeed, with no new sign-in. A new login follows the move: it registers at /v2 and signs in at /v2/authorize.',
    },
  ],
};
