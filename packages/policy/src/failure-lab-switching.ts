// Whether the console may switch a failure-lab scenario, and for which scope: the decisions behind
// the console's lab routes, kept here beside labSwitchInForce so every rule of the lab is in one place.
import type { LabScenario } from '@enginy/config/failure-lab';

export type LabScope = 'workspace' | 'global';

export const LAB_PRODUCTION_REFUSAL =
  'The failure lab is for local stacks: it is off with NODE_ENV=production, and no scenario can be switched on.';

/** The refusal every lab route answers in production (the services hold no switch there anyway). */
export function labRefusal(nodeEnv: 'development' | 'production' | 'test'): string | undefined {
  return nodeEnv === 'production' ? LAB_PRODUCTION_REFUSAL : undefined;
}

/** A workspace switch only for a scenario that can tell workspaces apart (`workspaceSense`). */
export function labScopeProblem(scenario: LabScenario, scope: LabScope): string | undefined {
  if (scope === 'workspace' && !scenario.workspaceSense)
    return `${scenario.name} is global only: it acts before a request names a workspace; switch it on with scope "global"`;
  return undefined;
}
