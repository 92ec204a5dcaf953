// The OAuth test client (packages/testing) on a hardening stack: over plain HTTP, step by step.
import { randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';
import { type Fetch, fetchTransport, type OAuthTestClient, oauthClient } from '@enginy/testing/oauth-client';
import { rawRequest } from './http.ts';

/**
 * Each request from the next loopback address (node:http: fetch cannot choose one). The services
 * limit registration, /authorize and sign-in per address, which is not what these tests test.
 */
const fromNextAddress: Fetch = async (url, init) =>
  (await rawRequest(url, { method: init.method, headers: init.headers, body: init.body })).response();

/**
 * Registrations get a unique name (`name` and a random suffix): identical public registrations from
 * one address share one client. `base`: where to send it (one replica of the scale topology), if not the issuer.
 */
export function oauthOf(config: StackConfig, name = 'hardening', base = config.auth.issuer): OAuthTestClient<Response> {
  return oauthClient(fetchTransport(base, fromNextAddress), config, {
    clientName: () => `${name} ${randomBytes(4).toString('hex')}`,
    workspaceId: SEED_IDS.acme,
    state: 'st',
  });
}
