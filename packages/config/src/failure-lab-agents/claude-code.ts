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
      seen: 'Does not authorize again: no browser, no /authorize, no new token; the tool call answers the model "MCP server "enginy" needs additional permissions (scope: "CONTACTS_WRITE") — run /mcp to re-authenticate", and `claude mcp list` still says "✔ Connected".',
      report: 'https://github.com/anthropics/claude-code/issues/68720',
    },
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: '`claude mcp list` finds the 3 s token expired, refreshes (several times in one run) and shows "✔ Connected"; no new sign-in.',
    },
    {
      scenario: 'forget-client',
      reaction: 'unaffected',
      seen: 'Its client ID is its metadata document URL, which the scenario does not forget: refreshes answer 200 and "✔ Connected"; `claude mcp login` again revokes its tokens and authorizes with the same client ID, never registering.',
    },
  ],
};
