// The failure lab's catalogue: the real field failures (/work/shared/reference/field-failures.md) the
// local stack can switch on from the server's side, so that an engineer reproduces a broken connection
// and checks a client's fix. In `config` because every app, the doctor and the tools read it, and
// `config` imports nothing of ours. The switches themselves live in the database (migration
// 0012-failure-lab) and are set with `pnpm lab`.

const cc = (issue: number) => `https://github.com/anthropics/claude-code/issues/${issue}`;
const gh = (repo: string, issue: number) => `https://github.com/${repo}/issues/${issue}`;

export interface LabOption {
  name: string;
  description: string;
  default: number;
  /** The smallest value accepted (whole numbers only). */
  min: number;
  max: number;
}

export interface LabScenario {
  name: string;
  description: string;
  options: readonly LabOption[];
  /** True when `--workspace <slug>` may narrow it to one workspace; otherwise it is global. */
  workspaceSense: boolean;
  /** The public reports it reproduces. */
  reports: readonly string[];
  /** What a correct client does, and the clause that says so. */
  correctClient: string;
  clause: string;
  /** Catalogued but not built yet: `pnpm lab on` refuses it. */
  planned?: boolean;
}

export const LAB_SCENARIOS = [
  {
    name: 'expire-access',
    description: 'Access tokens issued from now on live N seconds, and expires_in says so.',
    options: [{ name: 'seconds', description: 'the access token lifetime', default: 30, min: 1, max: 86_400 }],
    workspaceSense: true,
    reports: [cc(21333), cc(85236), cc(66210), cc(82513)],
    correctClient: 'Refreshes before expires_in runs out, with the rotated refresh token, one refresh at a time.',
    clause: 'RFC 6749 §5.1 expires_in: "The lifetime in seconds of the access token"; OAuth 2.1 §4.3 refresh.',
  },
  {
    name: 'step-up',
    description:
      'A tools/call needing a scope the workspace policy allows but the grant lacks answers 403 insufficient_scope naming the scope.',
    options: [],
    workspaceSense: true,
    reports: [cc(44652), cc(68720), gh('modelcontextprotocol/typescript-sdk', 2255)],
    correctClient:
      'On 403 insufficient_scope, authorizes again for the scopes the challenge names, keeping the union (SEP-2350).',
    clause: 'MCP 2025-11-25 authorization, Scope Challenge Handling; RFC 6750 §3.1 insufficient_scope.',
  },
  {
    name: 'forget-client',
    description:
      'Dynamically registered clients that exist now are forgotten: /authorize and /token answer invalid_client.',
    options: [],
    workspaceSense: false,
    reports: [cc(84614), cc(72818), gh('openai/codex', 29630)],
    correctClient: 'On invalid_client, registers again (and reuses that registration afterwards).',
    clause: 'RFC 6749 §5.2 invalid_client: "Client authentication failed (e.g., unknown client ...)".',
  },
  {
    name: 'no-dcr',
    description:
      'Metadata drops registration_endpoint and /register answers 404; metadata-document and pre-registered clients keep working.',
    options: [],
    workspaceSense: false,
    reports: [cc(90190), gh('openai/codex', 19154), gh('microsoft/vscode', 257415)],
    correctClient: 'Uses a client ID metadata document or a pre-registered client instead of dynamic registration.',
    clause:
      'MCP 2025-11-25 authorization, Client Registration Approaches: metadata documents first, pre-registration, DCR as a fallback (RFC 7591 is a MAY).',
  },
  {
    name: 'issuer-moved',
    description:
      'The protected-resource metadata names a second, working issuer (the issuer URL plus /v2); the old issuer’s clients, codes and refresh tokens are refused there.',
    options: [],
    workspaceSense: false,
    reports: [],
    correctClient:
      'Discovers the new authorization server from the metadata and registers again: credentials are bound to the issuer.',
    clause: 'SEP-2352 (authorization server migration).',
  },
  {
    name: 'iss-mismatch',
    description: 'The authorization response carries a wrong iss.',
    options: [],
    workspaceSense: false,
    reports: [gh('openai/codex', 41288), gh('openai/codex', 42427), gh('openai/codex', 34684)],
    correctClient: 'Stops: it must not redeem a code whose iss is not the issuer it sent the request to.',
    clause:
      'RFC 9207 §2.4: "If the value does not match the expected issuer identifier, clients MUST reject the authorization response".',
  },
  {
    name: 'token-unavailable',
    description: '/token answers 503 with Retry-After for the next N requests.',
    options: [{ name: 'count', description: 'how many /token requests fail', default: 3, min: 1, max: 1_000 }],
    workspaceSense: false,
    reports: [],
    correctClient: 'Waits as Retry-After says and tries again; it keeps its refresh token and does not sign in again.',
    clause: 'RFC 9110 §15.6.4 503 and §10.2.3 Retry-After.',
  },
  {
    name: 'resource-mismatch',
    description: 'The protected resource metadata’s resource differs from the MCP URL.',
    options: [],
    workspaceSense: false,
    reports: [gh('openai/codex', 41288), cc(52871), gh('vercel/ai', 13988)],
    correctClient: 'Refuses the metadata: its resource must equal the URL it fetched the metadata for.',
    clause: 'RFC 9728 §3.3: "If these values are not identical, the data contained in the response MUST NOT be used."',
  },
  {
    name: 'refresh-no-grace',
    description:
      'Refresh reuse detection without the retry grace: a second refresh of the same token revokes the grant.',
    options: [],
    workspaceSense: true,
    reports: [cc(21333), cc(85236), cc(66210), cc(82513)],
    correctClient: 'Refreshes one token once: one refresh at a time, never two sessions on the same refresh token.',
    clause: 'OAuth 2.1 §4.3.1 / RFC 9700 §4.14.2: a reused refresh token revokes the active one.',
  },
  {
    name: 'challenge-without-scope',
    description: 'The 401 challenge carries no scope.',
    options: [],
    workspaceSense: false,
    reports: [cc(12077), cc(90190), cc(55954), cc(41610)],
    correctClient: 'Falls back to scopes_supported of the resource metadata (else sends no scope).',
    clause:
      'MCP 2025-11-25 authorization, Scope Selection Strategy: the challenge’s scope first, then scopes_supported, else none.',
  },
] as const satisfies readonly LabScenario[];

export type LabScenarioName = (typeof LAB_SCENARIOS)[number]['name'];

export const LAB_SCENARIO_NAMES: readonly LabScenarioName[] = LAB_SCENARIOS.map((scenario) => scenario.name);

export function findLabScenario(name: string): LabScenario | undefined {
  return (LAB_SCENARIOS as readonly LabScenario[]).find((scenario) => scenario.name === name);
}

/** A switched-on scenario, as stored: global (`workspaceId` null) or for one workspace. */
export interface LabSwitch {
  scenario: LabScenarioName;
  workspaceId: string | null;
  options: Record<string, number>;
}

export type ParsedLabOptions = { ok: true; options: Record<string, number> } | { ok: false; message: string };

/**
 * A scenario's options from `--name value` pairs (already split by the caller), every one defaulted.
 * Unknown names and values that are not whole numbers in range are refused, naming the valid ones.
 */
export function parseLabOptions(scenario: LabScenario, given: Record<string, string>): ParsedLabOptions {
  const options: Record<string, number> = {};
  for (const option of scenario.options) options[option.name] = option.default;
  const valid = scenario.options.map((option) => `--${option.name}`).join(', ') || 'none';
  for (const [name, raw] of Object.entries(given)) {
    const option = scenario.options.find((candidate) => candidate.name === name);
    if (option === undefined)
      return { ok: false, message: `${scenario.name} has no option --${name}; its options: ${valid}` };
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < option.min || value > option.max)
      return {
        ok: false,
        message: `--${name} must be a whole number from ${option.min} to ${option.max} (${option.description}), not "${raw}"`,
      };
    options[name] = value;
  }
  return { ok: true, options };
}
