/**
 * The authorization response URL (RFC 6749 §4.1.2) with `iss` (RFC 9207 §2: "the iss parameter …
 * MUST be included in the authorization response"). Only ever called with a validated redirect URI.
 */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  params: Record<string, string | null | undefined>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null) url.searchParams.set(name, value);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
