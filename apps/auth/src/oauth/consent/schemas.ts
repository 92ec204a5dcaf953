import { Type } from 'typebox';
import { InvalidRequest } from '../../errors/classes.ts';

export const ConsentParams = Type.Object({ id: Type.String() });

/** POST /consent/:id: the workspace the user chose and what they decided. */
export const ConsentDecisionBody = Type.Object({
  workspaceId: Type.String(),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('deny')]),
});

/** Any body that is not a ConsentDecisionBody answers the same invalid_request, whatever is wrong with it. */
export const consentBodyError = () => new InvalidRequest('workspaceId and decision (approve or deny) are required');
