import { InvalidTarget } from '../../errors/classes.ts';
import { type AuthorizeContext, known } from './context.ts';

/** RFC 8707 §2: the resource must be one this server issues tokens for: the MCP endpoint (the default). */
export function checkResource(ctx: AuthorizeContext): void {
  const { mcpUrl } = ctx.config.openapi;
  const resource = known(ctx, 'parameters').resource ?? mcpUrl;
  if (resource !== mcpUrl) throw new InvalidTarget(`resource must be ${mcpUrl}`);
  ctx.resource = resource;
}
