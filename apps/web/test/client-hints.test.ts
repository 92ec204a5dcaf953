import { describe, expect, it } from 'vitest';
import { KNOWN_CLIENTS, knownClient } from '@enginy/config/known-clients';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { narrowingHints, scopesWithinPolicy } from '../src/client-hints.ts';

describe('scopesWithinPolicy', () => {
  const cases: [string, string[], string[], string[]][] = [
    [
      'keeps the requested scopes the policy allows, in the order asked',
      ['MESSAGING_WRITE', 'CONTACTS_READ', 'WORKSPACE_READ'],
      [...READ_SCOPES],
      ['CONTACTS_READ', 'WORKSPACE_READ'],
    ],
    [
      'a READ is allowed under a WRITE in the policy',
      ['CONTACTS_READ', 'LISTS_WRITE'],
      ['CONTACTS_WRITE'],
      ['CONTACTS_READ'],
    ],
    [
      'ALL refused: only what the policy covers of the rest',
      ['ALL', 'CAMPAIGNS_READ'],
      ['CAMPAIGNS_READ'],
      ['CAMPAIGNS_READ'],
    ],
    [
      'nothing requested is allowed: the policy itself',
      ['MESSAGING_WRITE'],
      ['WORKSPACE_READ', 'CONTACTS_READ'],
      ['WORKSPACE_READ', 'CONTACTS_READ'],
    ],
  ];
  for (const [rule, requested, ceiling, expected] of cases) {
    it(rule, () => expect(scopesWithinPolicy(requested, ceiling)).toEqual(expected));
  }
});

describe('narrowingHints', () => {
  const scopes = ['CONTACTS_READ', 'WORKSPACE_READ'];

  it('puts Claude Code first when the client_id is its metadata document URL, with its own config field', () => {
    const hints = narrowingHints('https://claude.ai/oauth/claude-code-client-metadata', 'Claude Code', scopes);
    expect(hints[0]?.client.id).toBe('claude-code');
    expect(hints[0]?.recognised).toBe(true);
    expect(hints[0]?.text ?? '').toMatch(/"oauth": \{ "scopes": "CONTACTS_READ WORKSPACE_READ" \}/);
    expect(hints.slice(1).map((h) => h.recognised)).toEqual(KNOWN_CLIENTS.slice(1).map(() => false));
  });

  it('recognises a dynamically registered client by its client_name', () => {
    const hints = narrowingHints('0b7c1f4e-random-id', knownClient('opencode').registeredName ?? '', scopes);
    expect(hints[0]?.client.id).toBe('opencode');
    expect(hints[0]?.text).toBe(knownClient('opencode').narrowScopes(scopes));
  });

  it('recognises no one from a name it does not know: every client, in the table order, none highlighted', () => {
    const hints = narrowingHints('some-id', 'My own agent', scopes);
    expect(hints.map((h) => h.client.id)).toEqual(KNOWN_CLIENTS.map((c) => c.id));
    expect(hints.some((h) => h.recognised)).toBe(false);
  });
});
