// The console API's answers (apps/auth/src/routes/console/*), as the browser receives them (dates are strings).
import type { AuthorizationDecision } from '@enginy/policy/authorization';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  role: string;
}

export interface McpSettings {
  enabled: boolean;
  allowedRedirectUris: string[];
  allowedClientIds: string[];
  policyScopes: string[];
  policyActive: boolean;
  updatedAt: string | null;
  warnings: string[];
}

export interface Connection {
  grantId: string;
  clientId: string;
  clientName: string;
  userEmail: string;
  redirectUri: string;
  grantedScopes: string[];
  effectiveScopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  calls: number;
  callsByTool: { tool: string; calls: number; lastCalledAt: string }[];
}

export interface Attempt {
  id: string;
  at: string;
  kind: 'admin' | 'authorization';
  /** Refused before anyone signed in (a client this workspace pre-registered): not a member's doing. */
  unauthenticated: boolean;
  clientId: string | null;
  clientName: string | null;
  redirectUri: string | null;
  requestedScopes: string[];
  outcome: 'allowed' | 'denied';
  reason: string;
  message: string;
  details: Record<string, unknown> | null;
}

export interface PreregisteredClient {
  id: string;
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  createdAt: string;
}

/** A client ID metadata document client seen in the workspace (read-only: nothing to register). */
export interface CimdClient {
  id: string;
  name: string;
  redirectUris: string[];
  metadataSource: 'fetched' | 'bundled' | 'unverified' | null;
  fetchedAt: string | null;
  /** When the live document was last tried. */
  checkedAt: string | null;
  lastAttemptAt: string | null;
  liveConnections: number;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  createdBy: string | null;
}

export type Decision = AuthorizationDecision;
