import { UnsupportedResponseType } from '../../errors/classes.ts';
import type { AuthorizeParameters } from './check-parameters.ts';

/** RFC 6749 §4.1.1: "response_type REQUIRED. Value MUST be set to "code"" (the only flow served). */
export function checkResponseType(parameters: AuthorizeParameters): void {
  if (parameters.response_type !== 'code') throw new UnsupportedResponseType(parameters.response_type ?? '');
}
