// The scope a refresh request may ask for: a subset of the grant's, never more.

/**
 * The requested scopes the grant does not hold. RFC 6749 §6: "The requested scope MUST NOT include
 * any scope not originally granted by the resource owner". `offline_access` asks for the refresh
 * token itself (clients such as Claude Code repeat it on refresh), so it never widens a grant.
 * Exact names: a refresh keeps the grant's own scope strings, so `ALL` or a WRITE does not cover
 * another scope name here.
 */
export function scopesBeyondGrant(requested: readonly string[], granted: readonly string[]): string[] {
  return requested.filter((scope) => scope !== 'offline_access' && !granted.includes(scope));
}
