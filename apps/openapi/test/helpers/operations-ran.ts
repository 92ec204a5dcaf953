import type { FastifyInstance } from 'fastify';

/**
 * The operations whose handler ran (`POST /v1/lists/{listId}/contacts`), in order: each operation of
 * the app's registry, which its REST route and its MCP tool both call, reports itself before it runs.
 */
export function recordOperationsRun(app: FastifyInstance): string[] {
  const ran: string[] = [];
  for (const { compiled } of app.mcpTools()) {
    const { operation } = compiled;
    const handler = operation.handler.bind(operation);
    operation.handler = async (principal, input) => {
      ran.push(`${operation.method} ${operation.path}`);
      return handler(principal, input);
    };
  }
  return ran;
}
