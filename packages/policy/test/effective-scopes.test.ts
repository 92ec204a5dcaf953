import { describe, expect, it } from 'vitest';
import {
  ceilingInForce,
  effectiveScopes,
  scopesInForceAnywhere,
  withEffectiveScopes,
} from '../src/effective-scopes.ts';

describe('ceilingInForce', () => {
  it.each([
    [{ enabled: true, policyActive: true, policyScopes: ['CONTACTS_READ'] }, ['CONTACTS_READ']],
    [{ enabled: false, policyActive: true, policyScopes: ['CONTACTS_READ'] }, []],
    [{ enabled: true, policyActive: false, policyScopes: ['CONTACTS_READ'] }, []],
    [undefined, []],
  ])('%j → %j', (settings, expected) => {
    expect(ceilingInForce(settings)).toEqual(expected);
  });
});

describe('effectiveScopes: a grant cut down to the current ceiling', () => {
  it.each([
    [
      'a WRITE grant keeps the READ a ceiling allows',
      ['CONTACTS_WRITE', 'LISTS_READ'],
      ['CONTACTS_READ'],
      ['CONTACTS_READ'],
    ],
    ['ALL keeps exactly the ceiling', ['ALL'], ['WORKSPACE_READ'], ['WORKSPACE_READ']],
    ['no ceiling keeps nothing', ['CONTACTS_READ'], [], []],
    ['a WRITE ceiling allows the READ granted', ['CONTACTS_READ'], ['CONTACTS_WRITE'], ['CONTACTS_READ']],
    [
      'in the scope list order, not the grant order',
      ['LISTS_READ', 'WORKSPACE_READ'],
      ['ALL'],
      ['WORKSPACE_READ', 'LISTS_READ'],
    ],
    ['unknown names keep nothing', ['CONTACTS_ADMIN'], ['ALL'], []],
  ])('%s', (_rule, granted, ceiling, expected) => {
    expect(effectiveScopes(granted, ceiling)).toEqual(expected);
  });
});

describe('withEffectiveScopes: a stored grant under its workspace settings', () => {
  const grant = { grantedScopes: ['CONTACTS_WRITE'], policyScopes: ['CONTACTS_READ'] };
  it.each([
    ['MCP on and the policy active: the ceiling cuts', { mcpEnabled: true, policyActive: true }, ['CONTACTS_READ']],
    ['MCP off: nothing', { mcpEnabled: false, policyActive: true }, []],
    ['the policy inactive: nothing', { mcpEnabled: true, policyActive: false }, []],
  ])('%s', (_rule, settings, expected) => {
    const result = withEffectiveScopes({ ...grant, ...settings, grantId: 'g' });
    expect(result.effectiveScopes).toEqual(expected);
    expect(result.grantId).toBe('g');
  });
});

describe('scopesInForceAnywhere: what an unauthenticated client is told to ask for', () => {
  const on = { enabled: true, policyActive: true };
  it.each([
    [
      'the union of the ceilings in force, sorted, once each',
      [
        { ...on, policyScopes: ['LISTS_READ', 'CONTACTS_READ'] },
        { ...on, policyScopes: ['CONTACTS_READ'] },
      ],
      ['CONTACTS_READ', 'LISTS_READ'],
    ],
    [
      'a workspace with MCP off adds nothing',
      [
        { ...on, enabled: false, policyScopes: ['LISTS_READ'] },
        { ...on, policyScopes: ['CONTACTS_READ'] },
      ],
      ['CONTACTS_READ'],
    ],
    ['an inactive policy adds nothing', [{ ...on, policyActive: false, policyScopes: ['LISTS_READ'] }], []],
    ['no workspace, nothing', [], []],
  ])('%s', (_rule, workspaces, expected) => {
    expect(scopesInForceAnywhere(workspaces)).toEqual(expected);
  });
});
