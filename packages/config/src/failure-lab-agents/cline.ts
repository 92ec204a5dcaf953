// The Cline CLI (`cline`), driven offline: `cline mcp add --transport http --yes enginy <url>`, OAuth
// only from the `cline mcp` wizard ("Authorize OAuth"; it registers "Cline" dynamically and sends
// http://127.0.0.1:1456/mcp/oauth/callback, which the workspace allowlists), and a task
// `cline "<prompt>"` against a stand-in OpenAI-compatible model (tests/e2e/src/model-server.ts) for a
// tool call. It keeps its client, tokens and last OAuth error in its MCP settings file. A task never
// opens the browser: when it cannot connect it runs without enginy's tools and says nothing on its
// output. Observed and asserted by tests/e2e/test/lab-agents-cline.test.ts; messages are quoted for
// the dev stack's URLs. A task refreshes once, after a 401, so refresh-no-grace is measured with two
// tasks at once on one stored login, the first one's refresh held at a proxy in front of the
// authorization server until the other's came (tests/e2e/src/auth-proxy.ts). issuer-moved was
// measured on a sign-in only (its grant revoked), not on a task holding a good refresh token.
import type { LabAgentRecord } from './record.ts';

export const CLINE: LabAgentRecord = {
  agent: 'Cline',
  pkg: 'cline',
  version: '3.0.65',
  test: 'tests/e2e/test/lab-agents-cline.test.ts',
  observations: [
    {
      scenario: 'expire-access',
      reaction: 'recovers',
      seen: 'With 3 s tokens, the next task refreshes (200) whenever the one it holds has run out, once or twice a task as its timing goes, stores the new tokens, and the model gets mcp_whoami’s answer; no new sign-in.',
    },
    {
      scenario: 'step-up',
      reaction: 'stops',
      seen: 'Does not authorize again: no browser, no /authorize. On the 403 it refreshes (200, which cannot widen the grant), is refused again and fails the call; the model is handed {"error":"Streamable HTTP error: Server returned 403 after trying upscoping"} and the grant keeps only the *_READ scopes.',
    },
    {
      scenario: 'forget-client',
      reaction: 'stops',
      seen: 'Its refresh is refused (401 invalid_client); it registers again without a word (a new client_id), drops its tokens and runs the task without enginy’s tools, storing "MCP server "enginy" requires OAuth authorization. Run authorizeMcpServerOAuth for this server and complete this URL: …"; the next "Authorize OAuth" signs in with the new client.',
    },
    {
      scenario: 'no-dcr',
      reaction: 'stops',
      seen: '"Authorize OAuth" fails before any browser: "OAuth authorization failed: Incompatible auth server: does not support dynamic client registration", then "Server "enginy" is still saved. Choose "Authorize OAuth" to retry."',
    },
    {
      scenario: 'iss-mismatch',
      reaction: 'proceeds',
      seen: 'Ignores the wrong iss (http://localhost:3002/failure-lab-wrong-issuer) in the authorization response: redeems the code and says "MCP server "enginy" OAuth authorization completed."',
    },
    {
      scenario: 'refresh-no-grace',
      reaction: 'stops',
      seen: 'Two tasks at once on one stored login, the first one’s refresh held at a proxy until the other’s came: the other presents the same refresh token and is refused invalid_grant, "The refresh token was already used; the connection is revoked and must be authorized again", which revokes the grant with the tokens the first had just got. Both tasks run without enginy’s tools, and no browser opens. The task refused drops the tokens and stores "MCP server "enginy" requires OAuth authorization. Run authorizeMcpServerOAuth for this server and complete this URL: …"; the other, its new token refused, keeps it and stores "Streamable HTTP error: Server returned 401 after successful authentication"; the last to write its settings file wins. Then "Authorize OAuth" signs in again (after a refused refresh where the token was kept).',
    },
    {
      scenario: 'token-unavailable',
      reaction: 'stops',
      seen: 'One refresh answered 503 (two of the three left): it never waits for Retry-After nor tries again in that task, which runs without enginy’s tools; it keeps its tokens and stores "The token endpoint is unavailable (failure lab: token-unavailable); try again shortly".',
    },
    {
      scenario: 'resource-mismatch',
      reaction: 'stops',
      seen: 'Refuses the metadata before any browser or refresh: "OAuth authorization failed: Protected resource http://localhost:3001/mcp/ does not match expected http://localhost:3001/mcp (or origin)".',
    },
    {
      scenario: 'issuer-moved',
      reaction: 'unaffected',
      seen: '"Authorize OAuth" (its grant revoked) follows the move: it finds the /v2 issuer in the metadata, tries its refresh there with the old client (401 invalid_client), registers at /v2, signs in at http://localhost:3002/v2/authorize (the callback carries iss …/v2) and says "MCP server "enginy" OAuth authorization completed."',
    },
    {
      scenario: 'challenge-without-scope',
      reaction: 'unaffected',
      seen: "Asks for the resource metadata's scopes_supported (the eleven *_READ scopes), as it does anyway, and completes the authorization.",
    },
  ],
};
