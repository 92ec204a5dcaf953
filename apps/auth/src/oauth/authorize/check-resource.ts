import type { StackConfig } from '@enginy/config/load';
import { InvalidTarget } from '../../errors/classes.ts';
import type { AuthorizeParameters } from './check-parameters.ts';

/** RFC 8707 §2: the resource must be one this server issues tokens for: the MCP endpoint (the default). */
export function checkResource(parameters: AuthorizeParameters, config: StackConfig): string {
  const resource = parameters.resource ?? config.openapi.mcpUrl;
  if (resource !== config.openapi.mcpUrl) throw new InvalidTarget(`resource must be ${config.openapi.mcpUrl}`);
  return resource;
}
