// The MCP Inspector CLI (`mcp-inspector --cli <mcp-url> --method tools/call …`; it bundles the MCP
// SDK 2.x client), each run one process, with the recipe's `--callback-url
// http://localhost:3118/callback`, allowed to open the browser (MCP_AUTO_OPEN_ENABLED) and keeping
// its tokens in its file store. It registers "MCP Inspector" dynamically. It keeps `expires_in` but
// not when it got it, so it refreshes only after a 401. Observed and asserted by
// tests/e2e/test/lab-agents-inspector.test.ts; messages are quoted for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const INSPECTOR: LabAgentRecord = {
  agent: 'MCP Inspector CLI',
  pkg: '@modelcontextprotocol/inspector',
  version: '2.12.0',
  test: 'tests/e2e/test/lab-agents-inspector.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'It keeps expires_in but not when it got it, so it refreshes only once its 3 s token is refused (401): one refresh, 200, and the call succeeds; no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'On the 403 it refreshes (200, which cannot widen the grant) and fails the call: "Unexpected: auth() returned AUTHORIZED without authorization code"; it never asks "Proceed with step-up authorization?" nor opens the browser for CONTACTS_WRITE.',
      report: 'https://github.com/modelcontextprotocol/typescript-sdk/issues/2255',
    },
    {
      scenario: 'forget-client',
      reaction: 'authorizes-again',
      seen: 'Its refresh is refused (401 invalid_client); it prints "[mcp-sdk] OAuth "invalid_client" — invalidating the stored client credentials and tokens and retrying authorization. Cause: "Unknown client_id <id>; register the client again"", registers again (a new client_id) and sends the person through the browser; the call then succeeds.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: 'A first sign-in stops after discovery, before registering or opening the browser: "Incompatible auth server: does not support dynamic client registration".',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'unaffected',
      seen: 'Signed in before the move, after the 401 it refreshes at the old issuer whose tokens it holds (200) and the call succeeds, with no new sign-in. A new login (`--relogin`) follows the move: it registers at /v2 and signs in at /v2/authorize.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'stops',
      seen: 'Refuses the authorization response before redeeming the code: "Issuer mismatch in authorization response (RFC 9207): expected "http://localhost:3002", received "http://localhost:3002/failure-lab-wrong-issuer"".',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503: it neither waits for Retry-After nor tries again, and fails the call with the server\'s description, "The token endpoint is unavailable (failure lab: token-unavailable); try again shortly"; it keeps its refresh token.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: 'Refuses the metadata before registering: "Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp (or origin)".',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'authorizes-again',
      seen: 'Two runs at once on one stored login take no turns: when both read the token before either refreshed, the second refresh is reuse (400 invalid_grant, the grant revoked), it prints "[mcp-sdk] OAuth "invalid_grant" — invalidating the stored tokens and retrying authorization. Cause: "The refresh token was already used; the connection is revoked and must be authorized again"" and sends the person through the browser, after which the call succeeds.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Registers and asks for the resource metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, and connects.",
    },
  ],
};
