// "Add these scopes to the policy": the consent page links an admin to the MCP settings with the
// scopes a request was refused for; the settings page ticks them (never saves them) for review.
import { allows, isScope } from '@enginy/policy/scopes';

/** The settings page of `workspaceId` with `scopes` to tick: /console/settings?addScopes=A,B&workspace=… */
export function addScopesLink(workspaceId: string, scopes: readonly string[]): string {
  return `/console/settings?addScopes=${scopes.map(encodeURIComponent).join(',')}&workspace=${encodeURIComponent(workspaceId)}`;
}

export interface Preselection {
  /** Scopes to tick: Enginy scopes the saved policy does not allow yet, once each, in the given order. */
  add: string[];
  /** Names that are not Enginy scopes: left out, and said so. */
  ignored: string[];
}

/** What `?addScopes=A,B` asks to tick, against the saved policy scopes. */
export function preselection(policyScopes: readonly string[], param: string | null): Preselection {
  const names = [...new Set((param ?? '').split(',').filter((name) => name !== ''))];
  return {
    add: names.filter((name) => isScope(name) && !allows(policyScopes, name)),
    ignored: names.filter((name) => !isScope(name)),
  };
}
