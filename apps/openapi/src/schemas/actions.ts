import { Type } from 'typebox';
import { IdList, Nullable, StringEnum, Timestamp, Uuid } from './common.ts';

export const ACTION_TYPES = ['VERIFY_LEAD_EMAIL'] as const;

export const StartActionBody = Type.Object(
  {
    type: StringEnum(ACTION_TYPES, {
      description: 'VERIFY_LEAD_EMAIL: verify the professional emails of the contacts (1 credit each)',
    }),
    contactIds: IdList('Contact'),
  },
  { additionalProperties: false },
);

export const Action = Type.Object(
  {
    actionsId: Uuid(),
    type: Type.String(),
    status: StringEnum(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED'] as const),
    contactCount: Type.Integer(),
    result: Nullable(Type.Record(Type.String(), Type.Unknown())),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Action' },
);

export const ActionParams = Type.Object({ actionsId: Uuid('The id returned when the action started') });
