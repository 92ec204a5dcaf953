import { findLabScenario, type LabScenario } from '@enginy/config/failure-lab';
import { describe, expect, it } from 'vitest';
import { labRefusal, labSwitchProblem } from '../src/failure-lab-switching.ts';

const scenario = (name: string) => findLabScenario(name) as LabScenario;

describe('labRefusal', () => {
  it.each([
    ['development', false],
    ['test', false],
    ['production', true],
  ] as const)('%s: refused %s', (nodeEnv, refused) => {
    expect(labRefusal(nodeEnv) !== undefined).toBe(refused);
  });
});

describe('labSwitchProblem', () => {
  it.each([
    ['a workspace scenario for the workspace', 'expire-access', 'workspace', undefined],
    ['a workspace scenario globally', 'expire-access', 'global', undefined],
    ['a global scenario globally', 'no-dcr', 'global', undefined],
    ['a global scenario for one workspace', 'no-dcr', 'workspace', 'scope'],
  ] as const)('%s: the field at fault is %s', (_case, name, scope, field) => {
    expect(labSwitchProblem(scenario(name), scope)?.field).toBe(field);
  });

  it('a scenario catalogued as planned (nothing built acts on it) is refused by name', () => {
    expect(labSwitchProblem({ ...scenario('no-dcr'), planned: true }, 'global')).toEqual({
      field: 'scenario',
      message: 'no-dcr is catalogued but not built yet; nothing would act on it',
    });
  });
});
