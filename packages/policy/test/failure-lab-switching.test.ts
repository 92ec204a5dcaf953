import { findLabScenario, type LabScenario } from '@enginy/config/failure-lab';
import { describe, expect, it } from 'vitest';
import { labRefusal, labScopeProblem } from '../src/failure-lab-switching.ts';

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

describe('labScopeProblem', () => {
  it.each([
    ['a workspace scenario for the workspace', 'expire-access', 'workspace', false],
    ['a workspace scenario globally', 'expire-access', 'global', false],
    ['a global scenario globally', 'no-dcr', 'global', false],
    ['a global scenario for one workspace', 'no-dcr', 'workspace', true],
  ] as const)('%s: refused %s', (_case, name, scope, refused) => {
    expect(labScopeProblem(scenario(name), scope) !== undefined).toBe(refused);
  });
});
