// The console API's answers as the browser receives them (dates are strings), derived from the very
// schemas the console serializes with (@enginy/contracts/console): a change there is a type error here.
import type {
  ApiKey as ApiKeySchema,
  Attempt as AttemptSchema,
  CimdClient as CimdClientSchema,
  Connection as ConnectionSchema,
  CreatedApiKey as CreatedApiKeySchema,
  CreatedClient as CreatedClientSchema,
  McpSettingsInput as McpSettingsInputSchema,
  McpSettings as McpSettingsSchema,
  Member as MemberSchema,
  EndedConnection as EndedConnectionSchema,
  RemovedMember as RemovedMemberSchema,
  PreregisteredClient as PreregisteredClientSchema,
  RotatedSecret as RotatedSecretSchema,
  Workspace as WorkspaceSchema,
} from '@enginy/contracts/console';
import type { LabScenarioView as LabScenarioSchema } from '@enginy/contracts/console-failure-lab';
import type { Flow as FlowSchema, FlowStep as FlowStepSchema } from '@enginy/contracts/flows';
import type { Static } from 'typebox';

export type Workspace = Static<typeof WorkspaceSchema>;
export type McpSettings = Static<typeof McpSettingsSchema>;
/** What a save sends: the settings without their date and warnings. */
export type McpSettingsInput = Static<typeof McpSettingsInputSchema>;
export type Connection = Static<typeof ConnectionSchema>;
export type Attempt = Static<typeof AttemptSchema>;
export type PreregisteredClient = Static<typeof PreregisteredClientSchema>;
export type CreatedClient = Static<typeof CreatedClientSchema>;
export type RotatedSecret = Static<typeof RotatedSecretSchema>;
/** A client ID metadata document client seen in the workspace (read-only: nothing to register). */
export type CimdClient = Static<typeof CimdClientSchema>;
export type ApiKey = Static<typeof ApiKeySchema>;
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;
export type EndedConnection = Static<typeof EndedConnectionSchema>;
/** A member of the workspace, with how many live connections a removal would end. */
export type Member = Static<typeof MemberSchema>;
export type RemovedMember = Static<typeof RemovedMemberSchema>;
/** A failure-lab scenario with the switch in force for the workspace. */
export type LabScenario = Static<typeof LabScenarioSchema>;
export type Flow = Static<typeof FlowSchema>;
export type FlowStep = Static<typeof FlowStepSchema>;
