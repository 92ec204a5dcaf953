// How each tested MCP client asks for fewer scopes, for a request the workspace policy refused. The
// clients and their own ways come from packages/config's table; this file only orders and fills them.
import { KNOWN_CLIENTS, type KnownClient, recogniseClient } from '@enginy/config/known-clients';
import { allows } from '@enginy/policy/scopes';

/**
 * What a refused request can ask for instead: the scopes it asked for that the policy allows (least
 * privilege), or the policy's own scopes when it asked for none of them.
 */
export function scopesWithinPolicy(requested: readonly string[], ceiling: readonly string[]): string[] {
  const within = requested.filter((scope) => allows(ceiling, scope));
  return within.length > 0 ? within : [...ceiling];
}

export interface NarrowingHint {
  client: KnownClient;
  /** The client's own way to ask for exactly `scopes`. */
  text: string;
  /** The client behind this request (by its metadata document URL or its registered name). */
  recognised: boolean;
}

/** Every known client's way to ask for `scopes`, the one that sent this request first. */
export function narrowingHints(clientId: string, clientName: string, scopes: readonly string[]): NarrowingHint[] {
  const recognised = recogniseClient(clientId, clientName);
  const ordered =
    recognised === undefined
      ? [...KNOWN_CLIENTS]
      : [recognised, ...KNOWN_CLIENTS.filter((client) => client !== recognised)];
  return ordered.map((client) => ({
    client,
    text: client.narrowScopes([...scopes]),
    recognised: client === recognised,
  }));
}
