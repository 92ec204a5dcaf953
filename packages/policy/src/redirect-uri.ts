// Redirect-URI rules, one per stage of a client's life. Pure: the console previews exactly what the
// server decides.
//   registration (POST /register, metadata documents, console clients) → redirectUriRegistrable
//   GET /authorize (is it this client's URI?)                           → redirectUriMatchesClient
//   GET /authorize (may an early error be sent there unattended?)       → redirectUriTrustedUnattended
//   consent (does the chosen workspace allow it?)                       → redirectUriAllowedByWorkspace
import { isLoopbackHostname } from './origin.ts';

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** `http://localhost…`, `http://127.0.0.1…` or `http://[::1]…`: a native app's loopback listener. */
export function isLoopbackRedirectUri(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === 'http:' && isLoopbackHostname(url.hostname);
}

/**
 * Stage: registration. A redirect URI a client may register: absolute, no fragment (RFC 6749 §3.1.2),
 * and https unless it is a loopback one (RFC 8252 §7.3) or a private-use scheme of a native app (RFC 8252 §7.1).
 */
export function redirectUriRegistrable(uri: string): boolean {
  const url = parse(uri);
  // RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
  if (url === undefined || url.hash !== '' || uri.includes('#')) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') return isLoopbackHostname(url.hostname);
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol); // reverse-domain private-use scheme
}

/**
 * RFC 8252 §7.3: "The authorization server MUST allow any port to be specified at the time of the
 * request for loopback IP redirect URIs". So a registered loopback URI matches a request that
 * differs only by port; everything else must match exactly.
 */
export function loopbackRedirectMatches(registered: string, sent: string): boolean {
  if (registered === sent) return true;
  if (!isLoopbackRedirectUri(registered) || !isLoopbackRedirectUri(sent)) return false;
  const registeredUrl = parse(registered) as URL;
  const sentUrl = parse(sent) as URL;
  return (
    registeredUrl.hostname === sentUrl.hostname &&
    registeredUrl.pathname === sentUrl.pathname &&
    registeredUrl.search === sentUrl.search &&
    registeredUrl.username === sentUrl.username &&
    registeredUrl.password === sentUrl.password
  );
}

/** What check 1 (at /authorize) knows of a client's own redirect URIs. */
export interface ClientRedirectRegistration {
  /** `cimd`: a client ID metadata document; anything else was registered or pre-registered here. */
  kind: string;
  /** Metadata documents only: `unverified` when no document could be had (development). */
  metadataSource: string | null;
  redirectUris: readonly string[];
}

/**
 * Stage: GET /authorize (check 1), before sign-in. Whether `sent` is one of the client's own redirect
 * URIs. Exact match (OAuth 2.1 §4.1.1), except that a metadata document's loopback URIs admit any port
 * (RFC 8252 §7.3: Claude Code's document lists `http://localhost/callback` while it listens on :3118),
 * and that an unverified metadata-document client (development only) may use any loopback URI and
 * nothing else: only a program on the user's own machine can receive it.
 */
export function redirectUriMatchesClient(client: ClientRedirectRegistration, sent: string): boolean {
  if (client.kind !== 'cimd') return client.redirectUris.includes(sent);
  if (client.metadataSource === 'unverified') return isLoopbackRedirectUri(sent) && redirectUriRegistrable(sent);
  return client.redirectUris.some((registered) => loopbackRedirectMatches(registered, sent));
}

/**
 * Stage: GET /authorize, for an error found before the user has done anything. RFC 9700 §4.18: "the
 * authorization server MUST only automatically redirect the user agent if it trusts the redirect
 * URI". Nobody has vouched for an https URI before the user has seen the client (registration is
 * open, and a workspace admin's pre-registered client is no proof either: any admin of any workspace
 * can register one), so such an error is shown, not bounced there. Trusted: a loopback or
 * private-use-scheme URI, which only a native app on the user's own device receives (RFC 8252 §7.1,
 * §7.3). After sign-in and consent the user has seen the client, so consent's redirects are not affected.
 */
export function redirectUriTrustedUnattended(redirectUri: string): boolean {
  if (isLoopbackRedirectUri(redirectUri)) return true;
  const { protocol } = new URL(redirectUri);
  return protocol !== 'https:' && protocol !== 'http:';
}

/**
 * Stage: consent (check 2), for the workspace the user chose. Exact string comparison against the
 * workspace's allowlist (RFC 6749 §3.1.2.3 with the OAuth 2.1 §4.1.1 "exact string matching" rule).
 */
export function redirectUriAllowedByWorkspace(allowed: readonly string[], sent: string): boolean {
  return allowed.includes(sent);
}

/** A normalised form ignoring the differences people trip on: loopback alias, port, trailing slash. */
function looseKey(uri: string): string | undefined {
  const url = parse(uri);
  if (url === undefined) return undefined;
  const host = isLoopbackHostname(url.hostname) ? 'loopback' : url.hostname;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}${path}${url.search}`;
}

/**
 * Stage: consent, when redirectUriAllowedByWorkspace refused. Why `sent` is not in `allowed` when it
 * nearly is: the allowed entry that differs only by host alias (localhost / 127.0.0.1), port or
 * trailing slash, and which of those differ. Undefined when none is close.
 */
export function redirectUriHint(allowed: readonly string[], sent: string): string | undefined {
  const key = looseKey(sent);
  if (key === undefined) return undefined;
  const near = allowed.find((candidate) => candidate !== sent && looseKey(candidate) === key);
  if (near === undefined) return undefined;
  const nearUrl = parse(near) as URL;
  const sentUrl = parse(sent) as URL;
  const differences: string[] = [];
  if (nearUrl.hostname !== sentUrl.hostname) differences.push(`host (${sentUrl.hostname} vs ${nearUrl.hostname})`);
  if (nearUrl.port !== sentUrl.port) differences.push(`port (${sentUrl.port || 'none'} vs ${nearUrl.port || 'none'})`);
  if (nearUrl.pathname !== sentUrl.pathname) differences.push('trailing slash');
  return `${sent} differs from the allowed ${near} only by ${differences.join(', ')}; add the exact URI the client sends.`;
}
