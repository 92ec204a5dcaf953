// The lists an admin sends (allowlists, redirect URIs, scopes): duplicates dropped, each entry checked
// by its rule in packages/policy, the count bounded after deduplication.
import { isScope, SCOPE_LIST } from '@enginy/policy/scopes';
import { ValidationFailed } from '../errors/classes.ts';

/** The distinct entries in order; a refused entry is named with its index, e.g. `allowedRedirectUris[2]`. */
export function distinctEntries(
  field: string,
  values: readonly string[],
  max: number,
  problemOf: (value: string) => string | undefined,
): string[] {
  values.forEach((value, i) => {
    const problem = problemOf(value);
    if (problem !== undefined) throw new ValidationFailed(`${field}[${i}]`, value, problem);
  });
  const distinct = [...new Set(values)];
  if (distinct.length > max) throw new ValidationFailed(field, values.length, `at most ${max} entries`);
  return distinct;
}

/** Known scopes only (ALL included), at most one of each. */
export function scopeEntries(field: string, values: readonly string[]): string[] {
  return distinctEntries(field, values, SCOPE_LIST.length, (scope) =>
    isScope(scope) ? undefined : `unknown scope; scopes are ${SCOPE_LIST.join(', ')}`,
  );
}
