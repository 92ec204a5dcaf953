// Qwen Code (@qwen-code/qwen-code), a fork of Gemini CLI, driven offline: `qwen mcp add --transport
// http enginy <url>`, `/mcp` → enginy → Authenticate in its interactive UI through the browser (it
// registers dynamically on every Authenticate and sends the fixed http://localhost:7777/oauth/callback,
// which the workspace allowlists), `qwen mcp list`, which connects with the token it stored, and a
// one-shot `qwen --yolo "<prompt>"` against a stand-in OpenAI-compatible model
// (tests/e2e/src/model-server.ts) for a tool call. It counts a token as expired 5 minutes before it
// is. Observed and asserted by tests/e2e/test/lab-agents-qwen-code.test.ts; messages are quoted for
// the dev stack's URLs. For refresh-no-grace the test holds the first refresh at a proxy in front of
// the authorization server until the second has come, so that two processes really overlap.
import type { LabAgentRecord } from './record.ts';

export const QWEN_CODE: LabAgentRecord = {
  agent: 'Qwen Code',
  pkg: '@qwen-code/qwen-code',
  version: '0.24.4',
  test: 'tests/e2e/test/lab-agents-qwen-code.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Refreshes before each connection, since it counts a token as expired 5 minutes before it is: `qwen mcp list` refreshes once, answered 200, and says "✓ enginy: … - Connected"; no new sign-in.',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'stops',
      seen: 'Two `qwen mcp list` at once after expiry, on one stored login (made to overlap by holding the first refresh at a proxy until the second came), refresh with the same token, each process on its own: the first is answered 200, the second invalid_grant, "The refresh token was already used; the connection is revoked and must be authorized again", which revokes the grant with the tokens just issued. Both lists say "✗ enginy: … - Disconnected" and nothing of why; the stored token is deleted (by the next list, refused too, when the first one saved its tokens last) and it stays Disconnected until the next Authenticate.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'Does not authorize again: no browser, no /authorize, no new token. It takes the 403 for a broken connection, reconnects (one more refresh) and does not repeat the call; the model is handed "MCP tool execution may have completed before the connection failed. Automatic replay was skipped because the call could not be verified as safe to replay. Do not retry automatically; verify the outcome before trying again."',
    },
    {
      scenario: 'forget-client',
      reaction: 'stops',
      seen: 'Its refresh is refused (401 invalid_client); it deletes its stored token without a word and `qwen mcp list` says "✗ enginy: … - Disconnected". The next Authenticate registers again (a new client_id), as every Authenticate does, and signs in.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: 'Authenticate fails at once, before any browser or callback listener, its /mcp page saying "No client ID provided and dynamic registration not supported".',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'unaffected',
      seen: 'Signed in before the move, it refreshes at the old issuer, each refresh 200, and `qwen mcp list` says "✓ enginy: … - Connected". A new Authenticate follows the move: it registers at the /v2 issuer, authorizes at http://localhost:3002/v2/authorize (the callback carries iss …/v2) and connects.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'proceeds',
      seen: 'Ignores the wrong iss (http://localhost:3002/failure-lab-wrong-issuer) in the authorization response: redeems the code, says "Authentication successful." and connects.',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503 (two of the three left): it never waits for Retry-After nor tries again; it deletes its stored token and `qwen mcp list` says "✗ enginy: … - Disconnected" until the next Authenticate.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'proceeds',
      seen: 'Uses the resource metadata although its resource is http://localhost:3001/mcp/: registers, authorizes with resource http://localhost:3001/mcp, says "Authentication successful." and connects.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, and connects.",
    },
  ],
};
