// Claude Code, the real CLI (@anthropic-ai/claude-code), driven offline: `claude mcp add --transport
// http --callback-port 3118 enginy <url>`, `claude mcp login enginy` through the browser, `claude mcp
// list` to connect. Against this stack it identifies by its client ID metadata document
// (https://claude.ai/oauth/claude-code-client-metadata), not a registration. Observed and asserted by
// tests/e2e/test/lab-agents-claude-code.test.ts; a tool call goes through `claude -p` and a stand-in
// model (tests/e2e/src/anthropic-model-server.ts).
import type { LabAgentRecord } from './record.ts';

export const CLAUDE_CODE: LabAgentRecord = {
  agent: 'Claude Code',
  pkg: '@anthropic-ai/claude-code',
  version: '2.1.328',
  test: 'tests/e2e/test/lab-agents-claude-code.test.ts',
  observations: [
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'Does not authorize again: no browser, no /authorize, no new token; the tool call answers the model "MCP server "enginy" needs additional permissions (scope: "CONTACTS_WRITE") — run /mcp to re-authenticate", and `claude mcp list` still says "✔ Connected". Its next `claude mcp login` asks for what it held plus CONTACTS_WRITE.',
      report: 'https://github.com/anthropics/claude-code/issues/68720',
    },
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: '`claude mcp list` finds the 3 s token expired, refreshes (several times in one run) and shows "✔ Connected"; no new sign-in.',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'recovers',
      seen: 'Its refresh answered 503 twice: it tries again about 1 s, then 2 s later, sooner than the 5 s Retry-After asks, and the third refresh succeeds; `claude mcp list` shows "✔ Connected" and no sign-in is asked for.',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'unaffected',
      seen: 'Two `claude mcp list` at once after expiry, on one stored login: the second one\'s refreshes come about 1 s after the first one\'s, with the refresh token the first stored, so none is used twice: every refresh 200 and both show "✔ Connected".',
    },
    {
      scenario: 'forget-client',
      reaction: 'unaffected',
      seen: 'Its client ID is its metadata document URL, which the scenario does not forget: refreshes answer 200 and "✔ Connected"; `claude mcp login` again revokes its tokens and authorizes with the same client ID, never registering.',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'stops',
      seen: 'Redeems nothing and says "Couldn\'t complete authentication for "enginy": Issuer mismatch in authorization response (RFC 9207): expected "http://localhost:3002", received "http://localhost:3002/failure-lab-wrong-issuer""; `claude mcp list` then says "Needs authentication".',
    },
    {
      scenario: 'no-dcr',
      reaction: 'unaffected',
      seen: 'Signs in with its metadata-document client ID and never registers; "✔ Connected".',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, and connects.",
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: 'Refuses, naming the origin rather than the MCP URL: "Couldn\'t complete authentication for "enginy": SDK auth failed: Protected resource http://localhost:3001/ does not match expected http://localhost:3001 (or origin)"; `claude mcp list` shows "✘ Failed to connect — Protected resource http://localhost:3001/ does not match expected http://localhost:3001 (or origin)".',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'proceeds',
      seen: "Signing in again (in a HOME where it had signed in before), it goes to the old issuer's /authorize, not the /v2 issuer the resource metadata names, and connects there.",
    },
  ],
};
