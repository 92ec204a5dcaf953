// The OAuth test client (packages/testing) as the benchmark's simulated clients: each one a machine
// of its own, sending every request of its flow from one loopback address (loopback-http.ts).
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';
import { OAuthTestClient, type Transport } from '@enginy/testing/oauth-client';
import { type Answer, nextLoopbackAddress, send } from './loopback-http.ts';

function loopbackTransport(issuer: string, from: string): Transport<Answer> {
  return {
    send: ({ method, path, headers, body }) => send(`${issuer}${path}`, { from, method, headers, body }),
    read: async ({ status, headers, body }) => ({
      status,
      location: headers.location as string | undefined,
      cookies: [headers['set-cookie'] ?? []].flat().map((cookie) => cookie.split(';')[0] ?? ''),
      text: body,
    }),
  };
}

/**
 * A new simulated client on a new address: it registers as `bench`, approves in Acme with the user's
 * live session and sends no `resource`, as the flow it measures always has.
 */
export function benchClient(config: StackConfig): OAuthTestClient<Answer> {
  return new OAuthTestClient(loopbackTransport(config.auth.issuer, nextLoopbackAddress()), {
    webUrl: config.web.url,
    clientName: 'bench',
    workspaceId: SEED_IDS.acme,
    state: 'bench',
  });
}
