import { OAuthStepError } from '@enginy/testing/oauth-client';

/**
 * A reason `pnpm mcp-token` got no token: one line, the server's own words where it gave any, and
 * what to do about it on a line of its own (so the first line can be matched exactly).
 */
export class McpTokenFailure extends Error {
  constructor(
    message: string,
    readonly advice?: string,
  ) {
    super(message);
  }
}

/** One line for whatever stopped the flow: a denial, an unreachable server, a bad answer. */
export function failureLine(error: unknown): string {
  if (error instanceof McpTokenFailure) return [error.message, error.advice].filter(Boolean).join('\n');
  if (error instanceof OAuthStepError) return error.serverMessage;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // fetch's TypeError("fetch failed") hides the reason (ECONNREFUSED, ENOTFOUND, …) in its cause.
  if (error instanceof TypeError && cause !== undefined)
    return `Cannot reach the stack (${cause.message ?? cause.code}): is it running? Start it with pnpm dev, or pass --mcp-url.`;
  return error instanceof Error ? error.message : String(error);
}
