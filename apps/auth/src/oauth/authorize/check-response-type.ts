import { UnsupportedResponseType } from '../../errors/classes.ts';
import { type AuthorizeContext, known } from './context.ts';

/** RFC 6749 §4.1.1: "response_type REQUIRED. Value MUST be set to "code"" (the only flow served). */
export function checkResponseType(ctx: AuthorizeContext): void {
  const responseType = known(ctx, 'parameters').response_type;
  if (responseType !== 'code') throw new UnsupportedResponseType(responseType ?? '');
}
