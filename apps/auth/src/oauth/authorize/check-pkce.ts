import { InvalidRequest } from '../../errors/classes.ts';
import { isValidChallenge } from '../pkce.ts';
import { type AuthorizeContext, known } from './context.ts';

/** OAuth 2.1 §4.1.1 / MCP: PKCE (RFC 7636 §4.3) is required, and only S256 is supported. */
export function checkPkce(ctx: AuthorizeContext): void {
  const parameters = known(ctx, 'parameters');
  const challenge = parameters.code_challenge;
  if (challenge === undefined || !isValidChallenge(challenge))
    throw new InvalidRequest('code_challenge (PKCE, S256) is required');
  if (parameters.code_challenge_method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  ctx.codeChallenge = challenge;
}
