// Scopes grouped by resource, for the consent page and the console.
import { ALL_SCOPE, RESOURCE_SCOPES } from './scopes.ts';

export interface ScopeGroup {
  resource: string;
  scopes: string[];
  /** The group includes a WRITE scope: the client may change data, not only read it. */
  write: boolean;
}

/** Groups scopes by resource in the catalogue's order; `ALL` is one group of its own, flagged as write. */
export function groupScopes(scopes: readonly string[]): ScopeGroup[] {
  const groups: ScopeGroup[] = [];
  if (scopes.includes(ALL_SCOPE)) groups.push({ resource: 'ALL', scopes: [ALL_SCOPE], write: true });
  for (const resource of Object.keys(RESOURCE_SCOPES)) {
    const own = scopes.filter(
      (scope) =>
        scope.startsWith(`${resource}_`) &&
        /_(READ|WRITE)$/.test(scope) &&
        scope.slice(0, scope.lastIndexOf('_')) === resource,
    );
    if (own.length > 0) groups.push({ resource, scopes: own, write: own.some((scope) => scope.endsWith('_WRITE')) });
  }
  return groups;
}
