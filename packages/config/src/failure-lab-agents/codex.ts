// The Codex CLI (@openai/codex), driven offline with `-c mcp_oauth_callback_port=3118 -c
// mcp_oauth_callback_url="http://localhost:3118/callback"`: `codex mcp add` and `codex mcp login`
// through the browser, `codex exec` with a stand-in Responses model to connect and call a tool, the
// server marked `required = true` (`codex mcp list` reads its own store and never contacts the
// server). Not required, a run whose server fails to start goes on without its tools and says
// nothing. Against this stack it identifies by its client ID metadata document
// (https://chatgpt.com/oauth/codex/client.json), not a registration. Observed and asserted by tests/e2e/test/lab-agents-codex.test.ts; messages are quoted
// for the dev stack's URLs.
import type { LabAgentRecord } from './record.ts';

export const CODEX: LabAgentRecord = {
  agent: 'Codex CLI',
  pkg: '@openai/codex',
  version: '0.171.0',
  test: 'tests/e2e/test/lab-agents-codex.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'Refreshes ahead of expiry: with a 3 s token, before every request of a `codex exec` run (several refreshes, all 200); the call succeeds, no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'Does not authorize again: no browser, no /authorize, no new token; the tool call answers the model "tool call error: tool call failed for `enginy/create_contact`" … "error: Insufficient scope", and `codex mcp list` still shows OAuth.',
    },
    {
      scenario: 'forget-client',
      reaction: 'unaffected',
      seen: 'Its client ID is its metadata document URL, which the scenario does not forget: its refreshes answer 200 and the call succeeds.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'unaffected',
      seen: 'Signs in with its metadata-document client ID and never registers.',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'stops',
      seen: 'Once its access token of the old issuer has expired, `codex exec` tries no refresh and fails at start: "required MCP servers failed to initialize: enginy: OAuth authorization server issuer changed for server enginy; authorization required: OAuth authorization required (code -32603)", while `codex mcp list` still shows OAuth. `codex mcp login` then signs in at the /v2 issuer the resource metadata names, with the same client ID.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'stops',
      seen: 'Redeems nothing and `codex mcp login` exits 1: "Error: failed to handle OAuth callback … Authorization server issuer mismatch: expected http://localhost:3002, received http://localhost:3002/failure-lab-wrong-issuer"; the tokens it held stay.',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503 and no retry, not even after Retry-After: `codex exec` fails at start, "required MCP servers failed to initialize: enginy: OAuth token refresh failed: Server returned error response: temporarily_unavailable: The token endpoint is unavailable (failure lab: token-unavailable); try again shortly"; it keeps its refresh token.',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'proceeds',
      seen: 'Does not use the metadata, but falls back to endpoints at the MCP server\'s origin: registers there (client_name "Codex", no scope) with redirect_uri http://localhost:3118/callback/<random>, not its configured callback URL, so the consent page refuses "redirect_uri is not allowed" and `codex mcp login` waits for a callback that never comes.',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'unaffected',
      seen: 'Two `codex exec` runs at once after expiry take turns (an OAuth refresh lock), so no refresh token is used twice: every refresh answers 200 and both calls succeed.',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: 'It signs in from the resource metadata, not the 401 challenge, asking for its scopes_supported (the eleven *_READ scopes), as it does anyway.',
    },
  ],
};
