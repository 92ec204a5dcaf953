// The consent screen's API (apps/auth: GET and POST /consent/:id, as /api/auth/consent/:id).
import { Type } from 'typebox';
import { Workspace } from './console.ts';
import { Nullable, StringEnum, Timestamp } from './wire.ts';

/** Where a client ID metadata document client's metadata came from when /authorize accepted it. */
export const ClientSource = Type.Object({
  kind: StringEnum(['fetched', 'cached', 'bundled', 'unverified']),
  /** When the live document was last fetched, if ever. */
  fetchedAt: Nullable(Timestamp),
});

/** GET /consent/:id: the pending request, the user's workspaces, and the decision for the chosen one. */
export const ConsentView = Type.Object({
  request: Type.Object({
    id: Type.String(),
    clientId: Type.String(),
    clientName: Type.String(),
    redirectUri: Type.String(),
    requestedScopes: Type.Array(Type.String()),
    /** The scopes the user's live grants already give this client in the chosen workspace. */
    alreadyGranted: Type.Array(Type.String()),
    /** Null for a registered client (no metadata document). */
    clientSource: Nullable(ClientSource),
  }),
  workspaces: Type.Array(Workspace),
  workspaceId: Type.String(),
  decision: Type.Union([
    Type.Object({ outcome: Type.Literal('allowed'), scopes: Type.Array(Type.String()) }),
    Type.Object({
      outcome: Type.Literal('denied'),
      reason: Type.String(),
      message: Type.String(),
      hint: Nullable(Type.String()),
      details: Type.Record(Type.String(), Type.Unknown()),
      /** Only a scope denial goes back to the client; every other denial stays on the error page. */
      redirectTo: Nullable(Type.String()),
    }),
  ]),
});

/** POST /consent/:id: where the browser goes next (the client's redirect URI with a code or an error). */
export const ConsentAnswer = Type.Object({ redirectTo: Type.String() });
