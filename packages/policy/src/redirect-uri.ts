// Redirect-URI rules. Pure: the console previews exactly what the server decides.
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
 * A redirect URI a client may register: absolute, no fragment (RFC 6749 §3.1.2), and https unless it
 * is a loopback one (RFC 8252 §7.3) or a private-use scheme of a native app (RFC 8252 §7.1).
 */
export function isValidRedirectUri(uri: string): boolean {
  const url = parse(uri);
  if (url === undefined || url.hash !== '' || uri.includes('#')) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') return isLoopbackHostname(url.hostname);
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol); // reverse-domain private-use scheme
}

/** Exact string comparison (RFC 6749 §3.1.2.3 with the OAuth 2.1 "exact match" rule). */
export function isRedirectUriAllowed(allowed: readonly string[], sent: string): boolean {
  return allowed.includes(sent);
}

/**
 * RFC 8252 §7.3: "The authorization server MUST allow any port to be specified at the time of the
 * request for loopback IP redirect URIs". So a registered loopback URI matches a request that
 * differs only by port; everything else must match exactly.
 */
export function loopbackRedirectMatches(registered: string, sent: string): boolean {
  if (registered === sent) return true;
  if (!isLoopbackRedirectUri(registered) || !isLoopbackRedirectUri(sent)) return false;
  const a = parse(registered) as URL;
  const b = parse(sent) as URL;
  return a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search && a.username === b.username && a.password === b.password;
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
 * Check 1: whether `sent` is one of the client's own redirect URIs. Exact match (OAuth 2.1 §4.1.1),
 * except that a metadata document's loopback URIs admit any port (RFC 8252 §7.3: Claude Code's
 * document lists `http://localhost/callback` while it listens on :3118), and that an unverified
 * metadata-document client (development only) may use any loopback URI and nothing else: only a
 * program on the user's own machine can receive it.
 */
export function isClientRedirectUri(client: ClientRedirectRegistration, sent: string): boolean {
  if (client.kind !== 'cimd') return client.redirectUris.includes(sent);
  if (client.metadataSource === 'unverified') return isLoopbackRedirectUri(sent) && isValidRedirectUri(sent);
  return client.redirectUris.some((registered) => loopbackRedirectMatches(registered, sent));
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
 * Why `sent` is not in `allowed` when it nearly is: the allowed entry that differs only by host alias
 * (localhost / 127.0.0.1), port or trailing slash, and which of those differ. Undefined when none is close.
 */
export function redirectUriHint(allowed: readonly string[], sent: string): string | undefined {
  const key = looseKey(sent);
  if (key === undefined) return undefined;
  const near = allowed.find((candidate) => candidate !== sent && looseKey(candidate) === key);
  if (near === undefined) return undefined;
  const a = parse(near) as URL;
  const b = parse(sent) as URL;
  const differences: string[] = [];
  if (a.hostname !== b.hostname) differences.push(`host (${b.hostname} vs ${a.hostname})`);
  if (a.port !== b.port) differences.push(`port (${b.port || 'none'} vs ${a.port || 'none'})`);
  if (a.pathname !== b.pathname) differences.push('trailing slash');
  return `${sent} differs from the allowed ${near} only by ${differences.join(', ')}; add the exact URI the client sends.`;
}
