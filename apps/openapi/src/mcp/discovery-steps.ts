import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { recordFlowStep } from '@enginy/db/queries/flow-steps';
import type { FastifyInstance } from 'fastify';

/**
 * Records each read of the protected-resource metadata (RFC 9728) as the discovery step of the
 * console's flows. Discovery names no client, so the step keeps the caller's address and user agent,
 * by which the console joins it to the flow that follows from the same caller. Not the MCP hot path:
 * a client reads this once per connection. A failed write is logged, never a failed request.
 */
export function recordDiscoverySteps(app: FastifyInstance, { config, db }: { config: StackConfig; db: Db }): void {
  const paths = new Set([
    '/.well-known/oauth-protected-resource',
    `/.well-known/oauth-protected-resource${new URL(config.openapi.mcpUrl).pathname}`,
  ]);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || !paths.has(request.routeOptions.url ?? '')) return payload;
    try {
      await recordFlowStep(db, {
        step: 'discovery',
        // As the auth service counts a caller (its source-address.ts): an IPv4-mapped address as IPv4.
        source: request.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''),
        userAgent: request.headers['user-agent'] ?? null,
        sent: { path: request.url.split('?')[0] },
        status: reply.statusCode,
        // Discovery names no workspace: only a global switch applies to it.
        scenarios: (await request.labSwitches())
          .filter((entry) => entry.workspaceId === null)
          .map((entry) => entry.scenario),
      });
    } catch (error) {
      request.log.error({ err: error }, 'could not record a discovery step');
    }
    return payload;
  });
}
