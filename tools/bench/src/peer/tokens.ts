import { fetchTransport, OAuthTestClient, pkcePair } from '@enginy/testing/oauth-client';

/**
 * Access tokens from the peer's own OAuth endpoints, as a client gets them: dynamic registration,
 * then per token /authorize (PKCE S256; the peer consents at once, so no sign-in and no consent
 * step) and the code exchange at /token.
 */
export async function peerAccessTokens(baseUrl: string, count: number): Promise<string[]> {
  const oauth = new OAuthTestClient(fetchTransport(baseUrl), { resource: `${baseUrl}/mcp`, clientName: 'bench' });
  const { client_id: clientId } = await oauth.register();
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const { verifier, challenge } = pkcePair();
    const authorize = await oauth.transport.read(
      await oauth.authorize({ clientId, challenge, scope: 'WORKSPACE_READ', state: String(i) }),
    );
    const code = new URL(authorize.location ?? 'http://invalid/').searchParams.get('code');
    if (code === null) throw new Error(`peer /authorize answered ${authorize.status} without a code`);
    tokens.push((await oauth.redeem(clientId, code, verifier)).access_token);
  }
  return tokens;
}
