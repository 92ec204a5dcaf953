// The console API (apps/auth/src/console, reached by the web app as /api/auth/console/...): every
// request and answer as it travels. The console validates and serializes with these schemas; the web
// app derives its types from them. `errorMessage` is the words of the console's 422 for that field.
import { Type } from 'typebox';
import { MAX_FIELD_LENGTH, MAX_NAME_LENGTH } from './limits.ts';
import { Nullable, StringEnum, Timestamp } from './wire.ts';

const Strings = Type.Array(Type.String());
/** A list of exact strings an admin edits; each entry is checked by its rule in packages/policy. */
const EntryList = Type.Array(Type.String({ maxLength: MAX_FIELD_LENGTH }), { errorMessage: 'must be an array' });
const Switch = Type.Boolean({ errorMessage: 'must be true or false' });
/** Trimmed before use; blank counts as missing. */
const Name = Type.String({
  maxLength: MAX_NAME_LENGTH,
  pattern: '\\S',
  errorMessage: { type: 'is required', pattern: 'is required' },
});
/** Every JSON body is an object (a list, `null` or text is refused with this). */
const body = { errorMessage: 'expected a JSON object' };

export const WorkspaceParams = Type.Object({ id: Type.String() });

// GET /console/workspaces
export const Workspace = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  role: Type.String(),
});
export const WorkspaceList = Type.Object({ workspaces: Type.Array(Workspace) });

// GET, PUT /console/workspaces/:id/mcp-settings
export const McpSettingsInput = Type.Object(
  {
    enabled: Switch,
    allowedRedirectUris: EntryList,
    allowedClientIds: EntryList,
    policyScopes: EntryList,
    policyActive: Switch,
  },
  body,
);
export const McpSettings = Type.Object({
  enabled: Type.Boolean(),
  allowedRedirectUris: Strings,
  allowedClientIds: Strings,
  policyScopes: Strings,
  policyActive: Type.Boolean(),
  /** Null until the settings are first saved. */
  updatedAt: Nullable(Timestamp),
  /** packages/policy's readiness warnings, in words. */
  warnings: Strings,
});

// GET /console/workspaces/:id/connections; POST .../connections/:grantId/revoke, .../clients/:clientId/revoke-all
export const ToolUsage = Type.Object({ tool: Type.String(), calls: Type.Integer(), lastCalledAt: Timestamp });
export const Connection = Type.Object({
  grantId: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  userEmail: Type.String(),
  redirectUri: Type.String(),
  grantedScopes: Strings,
  effectiveScopes: Strings,
  createdAt: Timestamp,
  /** A grant counts as used when it is issued, so never null. */
  lastUsedAt: Timestamp,
  calls: Type.Integer(),
  callsByTool: Type.Array(ToolUsage),
});
/** A connection that ended without anyone revoking it by hand (its user was removed), kept in view a while. */
export const EndedConnection = Type.Object({
  grantId: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  userEmail: Type.String(),
  redirectUri: Type.String(),
  grantedScopes: Strings,
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  endedAt: Timestamp,
  /** Why it ended, as stored (`member_removed`), and in words. */
  reason: Type.String(),
  reasonText: Type.String(),
});
export const ConnectionList = Type.Object({
  connections: Type.Array(Connection),
  /** Ended in the last `endedWithinDays` days, most recent first. */
  ended: Type.Array(EndedConnection),
  endedWithinDays: Type.Integer(),
});
export const GrantParams = Type.Object({ id: Type.String(), grantId: Type.String() });
export const Revoked = Type.Object({ revoked: Strings });

// GET /console/workspaces/:id/attempts
// A repeated parameter arrives as a list: refused rather than guessed. Empty means no filter.
const Filter = Type.Optional(Type.String({ maxLength: MAX_FIELD_LENGTH, errorMessage: 'must be given once, as text' }));
export const AttemptQuery = Type.Object({ outcome: Filter, clientId: Filter, reason: Filter, limit: Filter });
export const Attempt = Type.Object({
  id: Type.String(),
  at: Timestamp,
  kind: StringEnum(['admin', 'authorization']),
  workspaceId: Nullable(Type.String()),
  /** Refused before anyone signed in (a client this workspace pre-registered): not a member's doing. */
  unauthenticated: Type.Boolean(),
  clientId: Nullable(Type.String()),
  clientName: Nullable(Type.String()),
  redirectUri: Nullable(Type.String()),
  requestedScopes: Strings,
  outcome: StringEnum(['allowed', 'denied']),
  reason: Type.String(),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export const AttemptList = Type.Object({ attempts: Type.Array(Attempt) });

// POST /console/workspaces/:id/preview
const Verbatim = Type.String({
  minLength: 1,
  maxLength: MAX_FIELD_LENGTH,
  errorMessage: `is required (at most ${MAX_FIELD_LENGTH} characters)`,
});
export const PreviewInput = Type.Object(
  {
    clientId: Verbatim,
    redirectUri: Verbatim,
    /** As a client sends them: a space-delimited string or a list; absent or null: none requested. */
    scopes: Type.Optional(
      Type.Union([Type.String(), Strings, Type.Null()], {
        errorMessage: 'must be a list of scope names or a space-delimited string',
      }),
    ),
  },
  body,
);
/** `decision` is packages/policy's AuthorizationDecision, exactly as decideAuthorization returns it. */
export const PreviewAnswer = Type.Object({ decision: Type.Unknown() });

// GET, POST /console/workspaces/:id/clients; POST .../clients/:clientId/rotate-secret; DELETE .../clients/:clientId
export const CLIENT_AUTH_METHODS = ['client_secret_post', 'client_secret_basic'] as const;
export const PreregisteredClient = Type.Object({
  id: Type.String(),
  name: Type.String(),
  redirectUris: Strings,
  tokenEndpointAuthMethod: Type.String(),
  createdAt: Timestamp,
});
export const ClientList = Type.Object({ clients: Type.Array(PreregisteredClient) });
export const ClientParams = Type.Object({ id: Type.String(), clientId: Type.String() });
export const NewClient = Type.Object(
  {
    name: Name,
    redirectUris: EntryList,
    /** Absent or null: client_secret_post. */
    tokenEndpointAuthMethod: Type.Optional(
      Type.Union([StringEnum(CLIENT_AUTH_METHODS), Type.Null()], {
        errorMessage: `must be ${CLIENT_AUTH_METHODS.join(' or ')}`,
      }),
    ),
  },
  body,
);
/** The secret is in this answer only: it is stored hashed. */
export const CreatedClient = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.String(),
  name: Type.String(),
  redirectUris: Strings,
  tokenEndpointAuthMethod: StringEnum(CLIENT_AUTH_METHODS),
});
export const RotatedSecret = Type.Object({ clientId: Type.String(), clientSecret: Type.String() });

// GET /console/workspaces/:id/cimd-clients
export const CimdClient = Type.Object({
  id: Type.String(),
  name: Type.String(),
  redirectUris: Strings,
  metadataSource: Nullable(StringEnum(['fetched', 'bundled', 'unverified'])),
  fetchedAt: Nullable(Timestamp),
  /** When the live document was last tried. */
  checkedAt: Nullable(Timestamp),
  lastAttemptAt: Nullable(Timestamp),
  liveConnections: Type.Integer(),
});
export const CimdClientList = Type.Object({ clients: Type.Array(CimdClient) });

// GET, POST /console/workspaces/:id/api-keys; POST .../api-keys/:keyId/revoke
export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Strings,
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  createdBy: Nullable(Type.String()),
});
export const ApiKeyList = Type.Object({ apiKeys: Type.Array(ApiKey) });
export const ApiKeyParams = Type.Object({ id: Type.String(), keyId: Type.String() });
export const NewApiKey = Type.Object({ name: Name, scopes: EntryList }, body);
/** The key is in this answer only: it is stored as a keyed hash. */
export const CreatedApiKey = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  scopes: Strings,
});

// GET /console/workspaces/:id/members; DELETE .../members/:userId
export const Member = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  joinedAt: Timestamp,
  /** Live grants of this member in this workspace: the connections a removal ends. */
  activeConnections: Type.Integer(),
});
export const MemberList = Type.Object({ members: Type.Array(Member) });
export const MemberParams = Type.Object({ id: Type.String(), userId: Type.String() });
export const RemovedMember = Type.Object({
  removed: Type.String(),
  email: Type.String(),
  endedConnections: Type.Integer(),
});
