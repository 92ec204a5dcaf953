// The authorization-code flow of `pnpm mcp-token`, played by both of its parties over real HTTP with
// the repository's one OAuth client (@enginy/testing/oauth-client): the client registers, sends the
// browser to /authorize with PKCE S256 and redeems the code with the resource parameter; the person
// signs in and approves on the web app's origin through the same /api/auth session and consent API
// its pages call. Nothing reads or writes the database, so every policy check of the server applies.
import { randomBytes } from 'node:crypto';
import {
  type ConsentView,
  fetchTransport,
  OAuthTestClient,
  pkcePair,
  type TokenResponse,
} from '@enginy/testing/oauth-client';
import { discover } from './mcp-token-discovery.ts';
import { McpTokenFailure } from './mcp-token-failure.ts';

export interface McpTokenRequest {
  mcpUrl: string;
  email: string;
  password: string;
  /** A workspace's slug or name. */
  workspace: string;
  /** Space-separated; undefined asks for what the server offers. */
  scopes: string | undefined;
  /** Never listened on: the consent API hands the authorization response back as a URL. */
  redirectUri: string;
}

export interface McpToken {
  token: TokenResponse;
  workspace: ConsentView['workspaces'][number];
}

export async function mcpToken(request: McpTokenRequest): Promise<McpToken> {
  const found = await discover(request.mcpUrl);
  const state = randomBytes(16).toString('base64url');
  const client = new OAuthTestClient(fetchTransport(found.issuer), {
    endpoints: found.endpoints,
    resource: found.resource,
    redirectUri: request.redirectUri,
    clientName: 'enginy mcp-token',
    state,
  });
  const { client_id: clientId } = await client.register();
  const pkce = pkcePair();
  const scope = request.scopes ?? found.offeredScopes;
  const { consentPage, requestId } = await client.handOver({ clientId, challenge: pkce.challenge, scope });

  // The person, in the browser /authorize sent to: the web app's origin, its /api/auth proxy.
  const web = consentPage.origin;
  const browser = new OAuthTestClient(fetchTransport(`${web}/api/auth`), { webUrl: web });
  const session = await browser.signIn({ email: request.email, password: request.password });
  let view = await browser.consentView(session, requestId);
  const workspace = chooseWorkspace(view, request.workspace, request.email);
  if (workspace.id !== view.workspaceId) view = await browser.consentView(session, requestId, workspace.id);
  // The consent page shows a denial instead of Approve; its message is the server's.
  if (view.decision.outcome === 'denied') throw new McpTokenFailure(view.decision.message, advice(view, request));
  const response = await browser.approve(session, requestId, workspace.id);

  const error = response.searchParams.get('error');
  if (error !== null) throw new McpTokenFailure(response.searchParams.get('error_description') ?? error);
  // RFC 6749 §10.12 (state) and RFC 9207 §2.4 (iss): the response is this request's, from this server.
  if (response.searchParams.get('state') !== state)
    throw new McpTokenFailure('The authorization response has another state');
  const iss = response.searchParams.get('iss');
  if (iss !== null && iss !== found.issuer)
    throw new McpTokenFailure(`The authorization response is from ${iss}, not ${found.issuer}`);
  const code = response.searchParams.get('code') ?? '';
  return { token: await client.redeem(clientId, code, pkce.verifier), workspace };
}

function chooseWorkspace(view: ConsentView, wanted: string, email: string): McpToken['workspace'] {
  const key = wanted.trim().toLowerCase();
  const match = view.workspaces.find((w) => w.slug.toLowerCase() === key || w.name.toLowerCase() === key);
  if (match !== undefined) return match;
  const theirs = view.workspaces.map((w) => `${w.slug} (${w.name})`).join(', ') || 'none';
  throw new McpTokenFailure(`${email} has no workspace "${wanted}"; theirs: ${theirs}`);
}

/** What the consent page would show under the denial: the server's hint, and what mcp-token sent. */
function advice(view: ConsentView, request: McpTokenRequest): string | undefined {
  const { decision } = view;
  if (decision.outcome !== 'denied') return undefined;
  const details = decision.details as { offending?: string[]; ceiling?: string[] };
  switch (decision.reason) {
    case 'redirect_uri_not_allowed':
      // The code comes back in the consent API's answer, so nothing listens there; the workspace
      // still decides by exact match, as it does for every client.
      return [
        decision.hint,
        `mcp-token sends ${request.redirectUri} (nothing needs to listen on it): add it to the workspace's "Allowed redirect URIs", or pass --redirect-uri with one it lists.`,
      ]
        .filter(Boolean)
        .join(' ');
    case 'scopes_not_allowed':
      return `Not in the workspace's policy: ${details.offending?.join(' ')}; it allows ${details.ceiling?.join(' ')}. Pass --scopes within it.`;
    default:
      return decision.hint ?? undefined;
  }
}
