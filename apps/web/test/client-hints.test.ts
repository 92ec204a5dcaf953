import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
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
    it(rule, () => assert.deepEqual(scopesWithinPolicy(requested, ceiling), expected));
  }
});

describe('narrowingHints', () => {
  const scopes = ['CONTACTS_READ', 'WORKSPACE_READ'];

  it('puts Claude Code first when the client_id is its metadata document URL, with its own config field', () => {
    const hints = narrowingHints('https://claude.ai/oauth/claude-code-client-metadata', 'Claude Code', scopes);
    assert.equal(hints[0]?.client.id, 'claude-code');
    assert.equal(hints[0]?.recognised, true);
    assert.match(hints[0]?.text ?? '', /"oauth": \{ "scopes": "CONTACTS_READ WORKSPACE_READ" \}/);
    assert.deepEqual(
      hints.slice(1).map((h) => h.recognised),
      KNOWN_CLIENTS.slice(1).map(() => false),
    );
  });

  it('recognises a dynamically registered client by its client_name', () => {
    const hints = narrowingHints('0b7c1f4e-random-id', knownClient('opencode').registeredName ?? '', scopes);
    assert.equal(hints[0]?.client.id, 'opencode');
    assert.equal(hints[0]?.text, knownClient('opencode').narrowScopes(scopes));
  });

  it('recognises no one from a name it does not know: every client, in the table order, none highlighted', () => {
    const hints = narrowingHints('some-id', 'My own agent', scopes);
    assert.deepEqual(
      hints.map((h) => h.client.id),
      KNOWN_CLIENTS.map((c) => c.id),
    );
    assert.equal(
      hints.some((h) => h.recognised),
      false,
    );
  });
});
