// opencode, the real CLI (opencode-ai), driven offline: the server in opencode.json, `opencode mcp
// auth enginy` through the browser (it registers dynamically and sends the fixed
// http://127.0.0.1:19876/mcp/oauth/callback, which the workspace allowlists), `opencode mcp list` to
// connect, and `opencode run` with a stand-in model (tests/e2e/src/anthropic-model-server.ts) to call
// a tool. Observed and asserted by tests/e2e/test/lab-agents-opencode.test.ts; messages are quoted
// for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const OPENCODE: LabAgentRecord = {
  agent: 'opencode',
  pkg: 'opencode-ai',
  version: '1.18.33',
  test: 'tests/e2e/test/lab-agents-opencode.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: '`opencode mcp list` finds the 3 s token expired, refreshes and shows "✓ enginy connected"; no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'On the 403 it "upscopes" with a refresh, which cannot widen the grant, gets the same 403 and fails the call: "Streamable HTTP error: Server returned 403 after trying upscoping"; no browser, no /authorize; `opencode mcp list` still says "✓ enginy connected".',
      report: 'https://github.com/modelcontextprotocol/typescript-sdk/issues/2255',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'unaffected',
      seen: 'One `opencode mcp list` after expiry refreshes with the refresh token it stored last, never one it had used: every refresh 200 and "✓ enginy connected".',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'Tries the refresh once, gets the 503, does not wait for Retry-After or try again, and `opencode mcp list` says "✗ enginy failed" with "SSE error: Non-200 status code (405)" (it falls back to SSE); it keeps its refresh token, and two of the three 503s are left unspent.',
    },
    {
      scenario: 'forget-client',
      reaction: 'authorizes-again',
      seen: 'Its refresh is refused (401 invalid_client); in the same `opencode mcp list` it registers again (a new client_id) and says "⚠ enginy needs authentication"; `opencode mcp auth` then signs in with the new client through the browser.',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'authorizes-again',
      seen: 'Follows the move: its refresh goes to the /v2 issuer the resource metadata names, is refused ("Unknown client_id … at this issuer; register the client again"), it registers there and says "⚠ enginy needs authentication"; `opencode mcp auth` signs in at http://localhost:3002/v2/authorize.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'proceeds',
      seen: 'Ignores the wrong iss (http://localhost:3002/failure-lab-wrong-issuer) in the authorization response: redeems the code, says "Authentication successful!" and connects.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), what the challenge names otherwise, and signs in.",
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: '`opencode mcp auth` opens no browser and says "Authentication failed" and "Incompatible auth server: does not support dynamic client registration"; `opencode mcp list` says "✗ enginy failed" with "SSE error: Non-200 status code (405)".',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: '`opencode mcp auth` refuses before registering: "Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp (or origin)"; `opencode mcp list` says "✗ enginy failed" with "SSE error: Non-200 status code (405)".',
    },
  ],
};
