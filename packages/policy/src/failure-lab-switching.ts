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

/**
 * Why a scenario may not be switched on for `scope`, naming the field at fault: a planned scenario
 * (catalogued, nothing built acts on it; `pnpm lab on` refuses it too), or a workspace switch of a
 * scenario that cannot tell workspaces apart (`workspaceSense`).
 */
export function labSwitchProblem(
  scenario: LabScenario,
  scope: LabScope,
): { field: 'scenario' | 'scope'; message: string } | undefined {
  if (scenario.planned === true)
    return { field: 'scenario', message: `${scenario.name} is catalogued but not built yet; nothing would act on it` };
  if (scope === 'workspace' && !scenario.workspaceSense)
    return {
      field: 'scope',
      message: `${scenario.name} is global only: it acts before a request names a workspace; switch it on with scope "global"`,
    };
  return undefined;
}
