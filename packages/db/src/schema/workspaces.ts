import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
}

export type MemberRole = 'admin' | 'member';

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: MemberRole;
  created_at: CreatedAt;
}

/** The admin's "MCP" settings page: the integration switch, the two allowlists and the scope ceiling. */
export interface WorkspaceMcpSettingsTable {
  workspace_id: string;
  enabled: boolean;
  allowed_redirect_uris: string[];
  allowed_client_ids: string[];
  policy_scopes: string[];
  policy_active: boolean;
  updated_at: UpdatedAt;
}

export interface WorkspaceTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  workspace_mcp_settings: WorkspaceMcpSettingsTable;
}
