import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from './common.ts';
import { CHANNELS } from './inbox.ts';

export const Credits = Type.Object(
  {
    balance: Type.Integer(),
    nextRenewalDate: Type.String({ format: 'date' }),
    monthlyPlanCredits: Type.Integer(),
    monthlyAddonCredits: Type.Integer(),
  },
  { title: 'Credits' },
);

export const SenderIdentity = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    email: Type.String(),
    linkedInProfileUrl: Nullable(Type.String()),
    channels: Type.Array(StringEnum(CHANNELS)),
    dailyLimit: Type.Integer(),
    createdAt: Timestamp,
  },
  { title: 'SenderIdentity' },
);

export const CrmOwner = Type.Object(
  { id: Uuid(), name: Type.String(), email: Type.String(), createdAt: Timestamp },
  { title: 'CrmOwner' },
);
