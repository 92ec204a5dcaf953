// Which Origin may call a server (DNS rebinding protection). Pure: the MCP endpoint decides with it,
// and the doctor predicts the endpoint's answer with it before probing a deployment.

/** The three names of the loopback interface a browser or an MCP client may use for the same server. */
export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

export function isLoopbackHostname(hostname: string): boolean {
  return (LOOPBACK_HOSTNAMES as readonly string[]).includes(hostname);
}

/** The serialized origin (RFC 6454 §6.1) `value` is, or undefined: "null", a path, upper case. */
function serializedOrigin(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.origin === value ? url : undefined;
}

/**
 * `origin` itself and, when its host is a loopback name, the same scheme and port under the other
 * two: `http://localhost:3001` → also `http://127.0.0.1:3001` and `http://[::1]:3001`.
 */
export function loopbackAliases(origin: string): string[] {
  const url = serializedOrigin(origin);
  if (url === undefined || !isLoopbackHostname(url.hostname)) return [origin];
  return LOOPBACK_HOSTNAMES.map((hostname) => `${url.protocol}//${hostname}${url.port === '' ? '' : `:${url.port}`}`);
}

/**
 * MCP Streamable HTTP (2025-11-25, "Security Warning"): "Servers MUST validate the Origin header on
 * all incoming connections to prevent DNS rebinding attacks." Allowed: one of the server's own
 * origins (`own`, serialized) or, when that own origin is on a loopback host, its loopback aliases
 * (same scheme and port). A page on another site, even one whose name resolves to 127.0.0.1, sends
 * its own origin and is refused; so is a server on loopback under another port (another local app).
 */
export function isAllowedOrigin(origin: string, own: readonly string[]): boolean {
  if (serializedOrigin(origin) === undefined) return false;
  return own.some((allowed) => loopbackAliases(allowed).includes(origin));
}
