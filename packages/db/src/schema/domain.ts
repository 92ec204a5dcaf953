import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type EmailVerificationStatus = 'UNVERIFIED' | 'VALID' | 'INVALID' | 'RISKY';
export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'FINISHED';
export type Channel = 'EMAIL' | 'LINKEDIN';
export type ActionStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED';

/** Settable on insert so the demo seed can give its rows fixed timestamps. */
type SeedableCreatedAt = ColumnType<Date, Date | undefined, never>;
type SeedableUpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface CrmOwnersTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  email: string;
  created_at: SeedableCreatedAt;
}

export interface SenderIdentitiesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  email: string;
  linkedin_profile_url: string | null;
  channels: TextArray;
  daily_limit: Generated<number>;
  created_at: SeedableCreatedAt;
}

export interface CompaniesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  domain: string | null;
  company_linkedin_url: string | null;
  industry: string | null;
  employee_count: number | null;
  country: string | null;
  created_at: SeedableCreatedAt;
  updated_at: SeedableUpdatedAt;
}

export interface ContactsTable {
  id: Generated<string>;
  workspace_id: string;
  company_id: string | null;
  owner_id: string | null;
  first_name: string;
  last_name: string;
  job_title: string | null;
  linkedin_profile_url: string | null;
  linkedin_headline: string | null;
  professional_email: string | null;
  personal_emails: TextArray;
  mobile_phone: string | null;
  phones: TextArray;
  email_verification_status: ColumnType<
    EmailVerificationStatus,
    EmailVerificationStatus | undefined,
    EmailVerificationStatus
  >;
  contact_country: string | null;
  is_in_crm: Generated<boolean>;
  created_at: SeedableCreatedAt;
  updated_at: SeedableUpdatedAt;
}

export interface ListsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  created_at: SeedableCreatedAt;
}

export interface ListMembersTable {
  list_id: string;
  contact_id: string;
  added_at: SeedableCreatedAt;
}

/** A campaign step as stored: the API's step objects, validated before they get here. */
export type StoredStep = { type: string; [field: string]: unknown };

export interface CampaignsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  sender_identity_id: string | null;
  steps: JSONColumnType<StoredStep[]>;
  created_at: SeedableCreatedAt;
  updated_at: SeedableUpdatedAt;
}

export interface CampaignEnrolmentsTable {
  campaign_id: string;
  contact_id: string;
  current_step: Generated<number>;
  enrolled_at: SeedableCreatedAt;
}

export interface InboxTag {
  id: string;
  name: string;
  color: string;
}

export interface ConversationsTable {
  id: Generated<string>;
  workspace_id: string;
  contact_id: string;
  sender_identity_id: string;
  channel: Channel;
  archived: Generated<boolean>;
  unread_count: Generated<number>;
  summary: string | null;
  tags: JSONColumnType<InboxTag[], string | undefined, string>;
  last_activity_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MessagesTable {
  id: Generated<string>;
  workspace_id: string;
  conversation_id: string;
  sender_identity_id: string;
  type: Channel;
  subject: string | null;
  content: string;
  is_contact_sender: boolean;
  is_autosent: Generated<boolean>;
  request_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface WorkspaceCreditsTable {
  workspace_id: string;
  balance: number;
  monthly_plan_credits: number;
  monthly_addon_credits: number;
  next_renewal_date: ColumnType<string, string, string>;
}

export interface ActionsTable {
  id: Generated<string>;
  workspace_id: string;
  type: string;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  contact_ids: string[];
  result: JSONColumnType<Record<string, unknown>, string | null | undefined, string> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  workspace_id: string;
  created_by: string | null;
  name: string;
  key_hash: string;
  prefix: string;
  scopes: string[];
  created_at: CreatedAt;
  revoked_at: ColumnType<Date | null, never, Date>;
  last_used_at: ColumnType<Date | null, never, Date>;
}

export interface DomainTables {
  crm_owners: CrmOwnersTable;
  sender_identities: SenderIdentitiesTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  campaigns: CampaignsTable;
  campaign_enrolments: CampaignEnrolmentsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  workspace_credits: WorkspaceCreditsTable;
  actions: ActionsTable;
  api_keys: ApiKeysTable;
}
