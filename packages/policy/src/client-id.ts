// The optional "Allowed OAuth client IDs" allowlist. Pure, shared by the server and the console.

/** An empty allowlist admits any client (the recommended setting for a first connection). */
export function isClientIdAllowed(allowed: readonly string[], clientId: string): boolean {
  return allowed.length === 0 || allowed.includes(clientId);
}
