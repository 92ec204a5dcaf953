import { type TSchema, Type } from 'typebox';
import { Nullable, PageFields, StringEnum, Text, Timestamp, Uuid } from './common.ts';

export const CAMPAIGN_STATUSES = ['DRAFT', 'ACTIVE', 'PAUSED', 'FINISHED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const DelayDays = Type.Integer({
  minimum: 0,
  maximum: 90,
  default: 0,
  description: 'Days to wait after the previous step',
});

const step = (title: string, type: string, description: string, fields: Record<string, TSchema>) =>
  Type.Object(
    { type: Type.Literal(type), delayDays: Type.Optional(DelayDays), ...fields },
    { additionalProperties: false, title, description },
  );

// Each kind has a title: the published document names it (`#/components/schemas/EmailStep`) and
// maps the `type` tag to it (plugins/openapi-publish.ts).
const LEAF_STEPS = [
  step('EmailStep', 'email', 'Send an email', {
    subject: Text(300),
    body: Text(20_000, 'Supports {{firstName}}, {{companyName}}'),
  }),
  step('LinkedinMessageStep', 'linkedin_message', 'Send a LinkedIn message', { message: Text(8_000) }),
  step('LinkedinConnectionStep', 'linkedin_connection', 'Send a LinkedIn connection request', {
    note: Type.Optional(Text(300)),
  }),
  step('TaskStep', 'task', 'Create a task for the owner', { title: Text(200) }),
  Type.Object(
    { type: Type.Literal('end') },
    {
      additionalProperties: false,
      title: 'EndStep',
      description: 'Stop the sequence; only as the last step of its branch',
    },
  ),
];

/**
 * One of the step kinds, chosen by `type`. The `discriminator` (OpenAPI 3.1 and Ajv) makes a bad
 * step fail inside its own kind, so errors point at `steps[0].subject`, not at "no branch matched".
 */
const oneStep = (title: string, kinds: TSchema[]) =>
  Type.Unsafe<StepInput>({
    title,
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: kinds,
  });

const condition = (title: string, branch: TSchema) =>
  step(title, 'condition', 'Branch on what the contact did', {
    condition: StringEnum(['replied', 'opened', 'clicked', 'connected'] as const),
    onTrue: Type.Array(branch, { maxItems: 20 }),
    onFalse: Type.Array(branch, { maxItems: 20 }),
  });

// Conditions nest two levels deep, which covers real sequences and keeps the schema finite: a
// top-level Step may be a ConditionStep, whose branches hold BranchSteps, which may be a
// BranchConditionStep, whose branches hold LeafSteps (no condition).
const LeafStep = oneStep('LeafStep', LEAF_STEPS);
const BranchStep = oneStep('BranchStep', [...LEAF_STEPS, condition('BranchConditionStep', LeafStep)]);
const Step = oneStep('Step', [...LEAF_STEPS, condition('ConditionStep', BranchStep)]);

export interface StepInput {
  type: 'email' | 'linkedin_message' | 'linkedin_connection' | 'task' | 'end' | 'condition';
  delayDays?: number;
  onTrue?: StepInput[];
  onFalse?: StepInput[];
  [field: string]: unknown;
}

export const Campaign = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    status: StringEnum(CAMPAIGN_STATUSES),
    senderIdentityId: Nullable(Uuid()),
    steps: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    enrolledCount: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Campaign' },
);

export const CampaignSummary = Type.Omit(Campaign, ['steps'], { title: 'CampaignSummary' });

export const CampaignParams = Type.Object({ campaignId: Uuid('The campaign id') });

export const CreateCampaignBody = Type.Object(
  {
    name: Text(200),
    senderIdentityId: Type.Optional(Uuid('The sender identity that sends the steps')),
    steps: Type.Array(Step, {
      minItems: 1,
      maxItems: 30,
      description:
        'Ordered steps: email, linkedin_message, linkedin_connection, condition, task, end; `end` only as the last step of its branch',
    }),
  },
  { additionalProperties: false },
);

export const CampaignStatusBody = Type.Object(
  { status: StringEnum(['ACTIVE', 'PAUSED', 'FINISHED'] as const) },
  { additionalProperties: false },
);

export const CampaignListQuery = Type.Object({
  ...PageFields,
  status: Type.Optional(StringEnum(CAMPAIGN_STATUSES)),
});
