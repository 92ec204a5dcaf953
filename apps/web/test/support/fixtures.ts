// The records the page tests are made of, typed by the console's contracts (@enginy/contracts): the
// seeded workspace and its two users, and one builder per kind of row, each overridable field by field.
import type {
  ApiKey,
  Attempt,
  CimdClient,
  Connection,
  EndedConnection,
  Member,
  McpSettings,
  PreregisteredClient,
  Workspace,
} from '@enginy/contracts/console';
import type { LabScenarioView } from '@enginy/contracts/console-failure-lab';
import type { Flow } from '@enginy/contracts/flows';
import type { Session } from '@enginy/contracts/session';
import type { Static } from 'typebox';

export const WORKSPACE: Static<typeof Workspace> = {
  id: 'ws-acme',
  slug: 'acme',
  name: 'Acme Outreach',
  role: 'admin',
};

export const ADMIN_SESSION: Static<typeof Session> = {
  user: { email: 'dev@enginy.local', name: 'Dev Admin' },
  csrfToken: 'csrf-admin',
};

export const MEMBER_SESSION: Static<typeof Session> = {
  user: { email: 'member@enginy.local', name: 'Mia Member' },
  csrfToken: 'csrf-member',
};

export const AT = '2026-12-01T10:00:00.000Z';
export const LATER = '2026-12-01T11:30:00.000Z';

export const member = (over: Partial<Static<typeof Member>> = {}): Static<typeof Member> => ({
  userId: 'u-admin',
  email: 'dev@enginy.local',
  name: 'Dev Admin',
  role: 'admin',
  joinedAt: AT,
  activeConnections: 0,
  ...over,
});

export const ADMIN_MEMBER = member();
export const PLAIN_MEMBER = member({
  userId: 'u-member',
  email: 'member@enginy.local',
  name: 'Mia Member',
  role: 'member',
  activeConnections: 2,
});

export const apiKey = (over: Partial<Static<typeof ApiKey>> = {}): Static<typeof ApiKey> => ({
  id: 'key-1',
  name: 'Reporting',
  prefix: 'ek_3f9a',
  scopes: ['CONTACTS_READ'],
  createdAt: AT,
  lastUsedAt: null,
  createdBy: 'dev@enginy.local',
  ...over,
});

export const preregisteredClient = (
  over: Partial<Static<typeof PreregisteredClient>> = {},
): Static<typeof PreregisteredClient> => ({
  id: 'ecl_ci',
  name: 'CI client',
  redirectUris: ['http://localhost:3118/callback'],
  tokenEndpointAuthMethod: 'client_secret_post',
  createdAt: AT,
  ...over,
});

export const cimdClient = (over: Partial<Static<typeof CimdClient>> = {}): Static<typeof CimdClient> => ({
  id: 'https://claude.ai/oauth/claude-code-client-metadata',
  name: 'Claude Code',
  redirectUris: [],
  metadataSource: 'bundled',
  fetchedAt: null,
  checkedAt: null,
  lastAttemptAt: null,
  liveConnections: 1,
  ...over,
});

export const connection = (over: Partial<Static<typeof Connection>> = {}): Static<typeof Connection> => ({
  grantId: 'grant-1',
  clientId: 'client-claude',
  clientName: 'Claude Code',
  userEmail: 'dev@enginy.local',
  redirectUri: 'http://localhost:3118/callback',
  grantedScopes: ['CONTACTS_READ', 'WORKSPACE_READ'],
  effectiveScopes: ['CONTACTS_READ', 'WORKSPACE_READ'],
  createdAt: AT,
  lastUsedAt: LATER,
  calls: 3,
  callsByTool: [{ tool: 'search_contacts', calls: 3, lastCalledAt: LATER }],
  ...over,
});

export const endedConnection = (
  over: Partial<Static<typeof EndedConnection>> = {},
): Static<typeof EndedConnection> => ({
  grantId: 'grant-ended',
  clientId: 'client-codex',
  clientName: 'Codex',
  userEmail: 'gone@enginy.local',
  redirectUri: 'http://127.0.0.1:1455/auth/callback',
  grantedScopes: ['CONTACTS_READ'],
  createdAt: AT,
  lastUsedAt: AT,
  endedAt: LATER,
  reason: 'member_removed',
  reasonText: 'their member was removed from Acme Outreach',
  ...over,
});

export const attempt = (over: Partial<Static<typeof Attempt>> = {}): Static<typeof Attempt> => ({
  id: 'attempt-1',
  at: AT,
  kind: 'authorization',
  workspaceId: WORKSPACE.id,
  unauthenticated: false,
  clientId: 'client-claude',
  clientName: 'Claude Code',
  redirectUri: 'http://localhost:3118/callback',
  requestedScopes: ['CONTACTS_READ'],
  outcome: 'allowed',
  reason: 'approved',
  message: 'Approved',
  details: {},
  ...over,
});

export const settings = (over: Partial<Static<typeof McpSettings>> = {}): Static<typeof McpSettings> => ({
  enabled: true,
  allowedRedirectUris: ['http://localhost:3118/callback'],
  allowedClientIds: [],
  policyScopes: ['CONTACTS_READ'],
  policyActive: true,
  updatedAt: AT,
  warnings: [],
  ...over,
});

export const flow = (over: Partial<Static<typeof Flow>> = {}): Static<typeof Flow> => ({
  id: 'flow-1',
  client: { id: 'client-claude', name: 'Claude Code' },
  startedAt: AT,
  outcome: 'connected',
  stoppedAt: null,
  steps: [],
  ...over,
});

export const labScenario = (over: Partial<Static<typeof LabScenarioView>> = {}): Static<typeof LabScenarioView> => ({
  name: 'token-5xx',
  description: 'The token endpoint answers 503 for a while.',
  options: [{ name: 'seconds', description: 'How long', default: 30, min: 1, max: 600 }],
  workspaceSense: false,
  planned: false,
  reports: [],
  correctClient: 'Retries with backoff.',
  clause: 'RFC 6749 §5.2',
  agentsSeen: [],
  on: false,
  state: null,
  ...over,
});
