// Enginy's MCP scopes and their algebra. Pure: runs in the browser (settings preview) and on the servers.

export const RESOURCE_SCOPES = {
  WORKSPACE: ['READ'],
  IDENTITIES: ['READ'],
  OWNERS: ['READ'],
  CAMPAIGNS: ['READ', 'WRITE'],
  CONTACTS: ['READ', 'WRITE'],
  COMPANIES: ['READ', 'WRITE'],
  LISTS: ['READ', 'WRITE'],
  AI_VARIABLES: ['READ', 'WRITE'],
  ANALYTICS: ['READ'],
  ACTIONS: ['READ', 'WRITE'],
  MESSAGING: ['READ', 'WRITE'],
} as const;

type Resource = keyof typeof RESOURCE_SCOPES;
export type ResourceScope = { [R in Resource]: `${R}_${(typeof RESOURCE_SCOPES)[R][number]}` }[Resource];
export type Scope = ResourceScope | 'ALL';

export const ALL_SCOPE = 'ALL' as const;

/** Every scope except `ALL`, in a stable order. */
export const RESOURCE_SCOPE_LIST: readonly ResourceScope[] = Object.entries(RESOURCE_SCOPES).flatMap(
  ([resource, levels]) => levels.map((level) => `${resource}_${level}` as ResourceScope),
);

export const SCOPE_LIST: readonly Scope[] = [...RESOURCE_SCOPE_LIST, ALL_SCOPE];

export const READ_SCOPES: readonly ResourceScope[] = RESOURCE_SCOPE_LIST.filter((scope) => scope.endsWith('_READ'));

const KNOWN = new Set<string>(SCOPE_LIST);

export function isScope(value: string): value is Scope {
  return KNOWN.has(value);
}

/** The names in `scopes` that are not Enginy scopes, in their given order: an API key may hold none of them. */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !isScope(scope));
}

/** Splits an OAuth `scope` parameter (space-delimited, RFC 6749 §3.3). */
export function parseScopeParam(param: string | undefined | null): string[] {
  if (param === undefined || param === null) return [];
  return [...new Set(param.split(' ').filter((part) => part !== ''))];
}

/**
 * Everything a set of scopes allows: `ALL` is the full surface, and a WRITE scope includes its READ.
 * Unknown names are dropped.
 */
export function expandScopes(scopes: Iterable<string>): Set<ResourceScope> {
  const result = new Set<ResourceScope>();
  for (const scope of scopes) {
    if (!isScope(scope)) continue;
    if (scope === ALL_SCOPE) return new Set(RESOURCE_SCOPE_LIST);
    result.add(scope);
    if (scope.endsWith('_WRITE')) result.add(scope.replace(/_WRITE$/, '_READ') as ResourceScope);
  }
  return result;
}

/** True when `held` allows `required` under the expansion rules. */
export function allows(held: Iterable<string>, required: string): boolean {
  if (required === ALL_SCOPE)
    return [...held].includes(ALL_SCOPE) || RESOURCE_SCOPE_LIST.every((s) => expandScopes(held).has(s));
  return expandScopes(held).has(required as ResourceScope);
}

/** The scopes of `required` that `held` does not allow, in their given order. */
export function missingScopes(held: Iterable<string>, required: Iterable<string>): string[] {
  const heldList = [...held];
  return [...required].filter((scope) => !allows(heldList, scope));
}
