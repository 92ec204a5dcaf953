// `--as <client>`: the doctor makes the choices a real client makes (registration, scopes, redirect
// URI), so it fails where that client fails. What the clients do comes from packages/config's table
// of known clients; this file adds only what the doctor needs on top of it and turns it into a plan
// once discovery has run. Flags (--client-id, --scope, --callback-port, …) override the preset.
import { type KnownClient, type KnownClientId, knownClient } from '@enginy/config/known-clients';

export const PRESETS = [
  'claude-code',
  'codex',
  'opencode',
  'mcp-remote',
  'copilot-cli',
  'qwen-code',
  'cline',
  'inspector',
] as const;
export type PresetId = (typeof PRESETS)[number];
export const DEFAULT_PRESET: PresetId = 'claude-code';

/** The known client each preset stands in for (`--as inspector` is the Inspector's CLI in OAuth mode). */
const PRESET_CLIENT: Record<PresetId, KnownClientId> = {
  'claude-code': 'claude-code',
  codex: 'codex',
  opencode: 'opencode',
  'mcp-remote': 'mcp-remote',
  'copilot-cli': 'copilot-cli',
  'qwen-code': 'qwen-code',
  cline: 'cline',
  inspector: 'mcp-inspector',
};

export type RedirectHost = 'localhost' | '127.0.0.1';
export type RegistrationKind = 'cimd' | 'dcr';

/** Behaviour the shared table does not record, observed with the tested versions. */
const QUIRKS: Record<
  PresetId,
  {
    offlineAccess: boolean;
    noScopeFallback: 'resource-metadata' | 'nothing' | string[];
    /** Ports it moves to, in order, while the recipe's is taken (keeping the client it registered). */
    busyPorts?: number[];
    /** The callback path it sends when it registers dynamically, where that differs from its recipe's. */
    dcrCallbackPath?: string;
  }
> = {
  // Claude Code appends offline_access when the authorization server lists it.
  'claude-code': { offlineAccess: true, noScopeFallback: 'nothing' },
  codex: { offlineAccess: false, noScopeFallback: 'nothing' },
  // opencode's MCP SDK asks for the resource metadata's scopes when the challenge names none.
  opencode: { offlineAccess: false, noScopeFallback: 'resource-metadata' },
  'mcp-remote': { offlineAccess: false, noScopeFallback: ['openid', 'email', 'profile'] },
  // The challenge's scope (seen), then the resource metadata's (its Rust MCP SDK).
  // Without CIMD advertised it registers "GitHub Copilot CLI" with http://127.0.0.1:<port>/ (path /).
  'copilot-cli': { offlineAccess: false, noScopeFallback: 'resource-metadata', dcrCallbackPath: '/' },
  'qwen-code': { offlineAccess: false, noScopeFallback: 'nothing' },
  // MCP SDK 1.32.2: the challenge's scope, then the resource metadata's; 1456 taken → 1457 → 1458.
  cline: { offlineAccess: false, noScopeFallback: 'resource-metadata', busyPorts: [1457, 1458] },
  // Its MCP SDK client appends offline_access when the authorization server lists it.
  inspector: { offlineAccess: true, noScopeFallback: 'nothing' },
};

/** The ports the client tries after the recipe's while they are taken (none: it fails instead). */
export const busyPorts = (preset: PresetId): readonly number[] => QUIRKS[preset].busyPorts ?? [];

/** What the command line (or a test) may set over the preset. */
export interface PresetOverrides {
  clientId?: string;
  registration?: RegistrationKind;
  scope?: string;
  callbackPort?: number;
  redirectHost?: RedirectHost;
  callbackPath?: string;
  clientName?: string;
}

export function presetClient(preset: PresetId): KnownClient {
  return knownClient(PRESET_CLIENT[preset]);
}

/** "Claude Code 2.1.328". */
export const presetLabel = (preset: PresetId): string =>
  `${presetClient(preset).name} ${presetClient(preset).testedVersion}`;

export interface RedirectPlan {
  uri: string;
  host: string;
  port: number;
  path: string;
  why: string;
}

/** The redirect URI the client's recipe makes it send, with any flag applied over it. */
export function planRedirect(preset: PresetId, overrides: PresetOverrides = {}): RedirectPlan {
  const client = presetClient(preset);
  const recipe = new URL(client.recipeRedirectUri);
  const host = overrides.redirectHost ?? recipe.hostname;
  const port = overrides.callbackPort ?? Number(recipe.port);
  const path = overrides.callbackPath ?? recipe.pathname;
  const changed = [
    overrides.redirectHost === undefined ? undefined : '--redirect-host',
    overrides.callbackPort === undefined ? undefined : '--callback-port',
    overrides.callbackPath === undefined ? undefined : '--callback-path',
  ].filter((flag) => flag !== undefined);
  const why =
    changed.length === 0
      ? `${client.name}'s recipe: ${client.callbackFix}`
      : `${changed.join(', ')} over ${client.name}'s recipe (${client.recipeRedirectUri})`;
  return { uri: `http://${host}:${port}${path}`, host, port, path, why };
}

/**
 * The redirect once the registration is known: a client whose callback path differs when it
 * registers dynamically (Copilot CLI: / instead of /callback) sends that one. --callback-path wins.
 */
export function redirectForRegistration(
  preset: PresetId,
  redirect: RedirectPlan,
  registration: { kind: RegistrationKind | 'preregistered' },
  overrides: PresetOverrides = {},
): RedirectPlan {
  const path = QUIRKS[preset].dcrCallbackPath;
  if (registration.kind !== 'dcr' || path === undefined || overrides.callbackPath !== undefined) return redirect;
  const uri = new URL(redirect.uri);
  uri.pathname = path;
  return {
    ...redirect,
    uri: uri.href,
    path,
    why: `${redirect.why}; registering dynamically, ${presetClient(preset).name} sends the path ${path}`,
  };
}

/** `--registration cimd` for a client that has no metadata document. */
export const noDocument = (preset: PresetId) =>
  `--registration cimd: ${presetClient(preset).name} has no client ID metadata document (give one with --client-id <document URL>)`;

export type RegistrationPlan =
  | { kind: 'cimd'; clientId: string; why: string }
  | { kind: 'dcr'; clientName: string; why: string }
  | { kind: 'preregistered'; clientId: string; why: string };

/**
 * CIMD or dynamic registration, as the client decides it from the authorization server's metadata:
 * a client with a metadata document sends its URL as client_id when the server advertises
 * `client_id_metadata_document_supported`, and registers otherwise.
 */
export function planRegistration(
  preset: PresetId,
  as: { cimdSupported: boolean },
  overrides: PresetOverrides = {},
): RegistrationPlan {
  const client = presetClient(preset);
  if (overrides.clientId !== undefined) {
    return /^https?:\/\//.test(overrides.clientId)
      ? { kind: 'cimd', clientId: overrides.clientId, why: 'given with --client-id' }
      : { kind: 'preregistered', clientId: overrides.clientId, why: 'given with --client-id' };
  }
  const clientName = overrides.clientName ?? client.registeredName ?? `${client.name} (enginy doctor)`;
  if (overrides.registration === 'dcr')
    return { kind: 'dcr', clientName, why: `as "${clientName}", forced with --registration dcr` };
  const document = client.metadataDocumentUrl;
  if (overrides.registration === 'cimd' && document === undefined) throw new Error(noDocument(preset));
  if (document !== undefined && overrides.registration === 'cimd')
    return { kind: 'cimd', clientId: document, why: 'forced with --registration cimd' };
  if (client.registration === 'cimd' && document !== undefined) {
    if (as.cimdSupported) {
      return {
        kind: 'cimd',
        clientId: document,
        why: `the authorization server advertises client_id_metadata_document_supported, so ${client.name} sends its document's URL and registers nothing`,
      };
    }
    return {
      kind: 'dcr',
      clientName,
      why: `the authorization server does not advertise client_id_metadata_document_supported, so ${client.name} registers`,
    };
  }
  return { kind: 'dcr', clientName, why: `as "${clientName}": ${client.name} always registers` };
}

export interface ScopeFacts {
  /** The `scope` of the 401 challenge. */
  challengeScope: string | undefined;
  /** The protected-resource metadata's scopes_supported. */
  resourceScopes: readonly string[];
  /** The authorization server metadata's scopes_supported. */
  authServerScopes: readonly string[];
}

export interface ScopePlan {
  scopes: string[];
  why: string;
}

const split = (scope: string | undefined) => (scope ?? '').split(' ').filter(Boolean);

/** The scopes the client asks for, and why those. */
export function planScopes(preset: PresetId, facts: ScopeFacts, override?: string): ScopePlan {
  if (override !== undefined) return { scopes: split(override), why: 'given with --scope' };
  const client = presetClient(preset);
  const quirks = QUIRKS[preset];
  let plan: ScopePlan;
  const fromMetadata = (): ScopePlan =>
    facts.resourceScopes.length > 0
      ? { scopes: [...facts.resourceScopes], why: "the protected-resource metadata's whole scopes_supported" }
      : {
          scopes: [],
          why: 'none: the protected-resource metadata lists no scopes_supported (the policy ceiling applies)',
        };
  if (client.scopeChoice === 'resource-metadata') {
    plan = fromMetadata();
    // Its login does not carry the challenge: the metadata is what it reads.
    if (plan.scopes.length > 0)
      plan.why = `${plan.why}: ${client.name}'s login asks for all of it, not for the 401 challenge's scope`;
  } else if (split(facts.challengeScope).length > 0) {
    plan = { scopes: split(facts.challengeScope), why: `the 401 challenge's scope, as ${client.name} asks` };
  } else if (quirks.noScopeFallback === 'resource-metadata') {
    plan = fromMetadata();
    plan.why = `the 401 challenge names no scope, so ${client.name} falls back to ${plan.why}`;
  } else if (Array.isArray(quirks.noScopeFallback)) {
    plan = {
      scopes: [...quirks.noScopeFallback],
      why: `the 401 challenge names no scope, so ${client.name} falls back to "${quirks.noScopeFallback.join(' ')}"`,
    };
  } else {
    plan = { scopes: [], why: 'none named by the server (the policy ceiling applies)' };
  }
  if (
    quirks.offlineAccess &&
    facts.authServerScopes.includes('offline_access') &&
    !plan.scopes.includes('offline_access')
  ) {
    plan = {
      scopes: [...plan.scopes, 'offline_access'],
      why: `${plan.why}; offline_access appended because the authorization server lists it`,
    };
  }
  return plan;
}

/** The presets for --help, from the shared table: name, registration, scopes, redirect URI. */
export function presetSummaries(): string[] {
  return PRESETS.flatMap((preset) => {
    const client = presetClient(preset);
    const registration =
      client.registration === 'cimd'
        ? `CIMD (${client.metadataDocumentUrl}) if advertised, else DCR`
        : `DCR${client.registeredName ? ` as "${client.registeredName}"` : ''}`;
    const scopes =
      client.scopeChoice === 'resource-metadata'
        ? "the resource metadata's scopes_supported"
        : "the 401 challenge's scope";
    const fallback = QUIRKS[preset].noScopeFallback;
    const extra = [
      client.scopeChoice !== 'resource-metadata' && fallback === 'resource-metadata'
        ? ", else the resource metadata's"
        : '',
      Array.isArray(fallback) ? `, else "${fallback.join(' ')}"` : '',
      QUIRKS[preset].offlineAccess ? ', + offline_access if the AS lists it' : '',
    ].join('');
    const moves = busyPorts(preset).length > 0 ? ` (port ${busyPorts(preset).join(', then ')} while taken)` : '';
    return [
      `${preset.padEnd(12)} ${presetLabel(preset)}: ${registration}`,
      `${''.padEnd(12)} scopes: ${scopes}${extra}; redirect: ${client.recipeRedirectUri}${moves}`,
    ];
  });
}
