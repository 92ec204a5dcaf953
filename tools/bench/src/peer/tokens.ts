import { createHash, randomBytes } from 'node:crypto';

const REDIRECT_URI = 'http://localhost:3118/callback';

async function ok(response: Response): Promise<Response> {
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Access tokens from the peer's own OAuth endpoints, as a client gets them: dynamic registration,
 * then per token /authorize (PKCE S256; the peer consents at once) and the code exchange at /token.
 */
export async function peerAccessTokens(baseUrl: string, count: number): Promise<string[]> {
  const registration = await ok(
    await fetch(`${baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'bench', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
    }),
  );
  const { client_id: clientId } = (await registration.json()) as { client_id: string };
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      scope: 'WORKSPACE_READ',
      resource: `${baseUrl}/mcp`,
      state: String(i),
    });
    const authorize = await fetch(`${baseUrl}/authorize?${query}`, { redirect: 'manual' });
    const code = new URL(authorize.headers.get('location') ?? 'http://invalid/').searchParams.get('code');
    if (code === null) throw new Error(`peer /authorize answered ${authorize.status} without a code`);
    const token = await ok(
      await fetch(`${baseUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: clientId, resource: `${baseUrl}/mcp` }),
      }),
    );
    tokens.push(((await token.json()) as { access_token: string }).access_token);
  }
  return tokens;
}
