import { describe, expect, it } from 'vitest';
import type { WorkspacePolicySettings } from '../src/authorization.ts';
import { failedReadinessChecks, type ReadinessCheck, readinessWarnings } from '../src/readiness.ts';

const READY: WorkspacePolicySettings = {
  enabled: true,
  allowedRedirectUris: ['http://localhost:3118/callback'],
  allowedClientIds: [],
  policyScopes: ['CONTACTS_READ'],
  policyActive: true,
};

describe('readinessWarnings', () => {
  it.each<[string, Partial<WorkspacePolicySettings>, [ReadinessCheck, string][]]>([
    ['ready', {}, []],
    ['a pinned client ID list is no warning', { allowedClientIds: ['c_1'] }, []],
    [
      'MCP disabled',
      { enabled: false },
      [['mcp_disabled', 'MCP is disabled: no client can connect, and existing connections stop working']],
    ],
    [
      'policy inactive',
      { policyActive: false },
      [['policy_inactive', 'The policy is inactive: no client can be granted anything']],
    ],
    [
      'no policy scope',
      { policyScopes: [] },
      [['policy_empty', 'The policy has no scope: no client can be granted anything']],
    ],
    [
      'no redirect URI',
      { allowedRedirectUris: [] },
      [['no_redirect_uri', 'No redirect URI is allowed: every authorization fails with "redirect_uri is not allowed"']],
    ],
    [
      'a redirect URI no client can register',
      { allowedRedirectUris: ['http://localhost:3118/callback', 'http://example.com/cb'] },
      [
        [
          'unregistrable_redirect_uri',
          'http://example.com/cb: clients cannot register this redirect URI (https, or http on localhost/127.0.0.1 only)',
        ],
      ],
    ],
    [
      'ALL beside other scopes',
      { policyScopes: ['ALL', 'CONTACTS_READ'] },
      [['all_with_other_scopes', 'ALL already grants the full MCP surface; the other scopes add nothing']],
    ],
    ['ALL alone', { policyScopes: ['ALL'] }, []],
    [
      'never saved: each blocking setting, in order',
      { enabled: false, policyActive: false, policyScopes: [], allowedRedirectUris: [] },
      [
        ['mcp_disabled', 'MCP is disabled: no client can connect, and existing connections stop working'],
        ['policy_inactive', 'The policy is inactive: no client can be granted anything'],
        ['policy_empty', 'The policy has no scope: no client can be granted anything'],
        ['no_redirect_uri', 'No redirect URI is allowed: every authorization fails with "redirect_uri is not allowed"'],
      ],
    ],
  ])('%s', (_rule, change, expected) => {
    const settings = { ...READY, ...change };
    expect(readinessWarnings(settings).map((w) => [w.check, w.message])).toEqual(expected);
    expect([...failedReadinessChecks(settings)]).toEqual(expected.map(([check]) => check));
  });
});
