import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { KNOWN_CLIENTS, knownClient } from '@enginy/config/known-clients';
import {
  clientFromQuery,
  clientIdItem,
  isConcreteUri,
  redirectFacts,
  withRedirectUri,
} from '../src/console/connect-recipe.ts';
import type { McpSettings } from '../src/console/types.ts';

const claude = knownClient('claude-code');
const opencode = knownClient('opencode');
const sdk = knownClient('mcp-sdk');

describe('clientFromQuery', () => {
  it('opens on Claude Code when the query names no client or an unknown one', () => {
    assert.equal(clientFromQuery(null).id, 'claude-code');
    assert.equal(clientFromQuery('netscape').id, 'claude-code');
  });
  it('opens on the client the query names', () => assert.equal(clientFromQuery('opencode'), opencode));
});

describe('redirectFacts', () => {
  it('a random-port default is a pattern, never addable; the recipe URI is what to add', () => {
    const facts = redirectFacts(claude, []);
    assert.equal(facts.byDefault.form, 'pattern');
    assert.equal(facts.sent, claude.recipeRedirectUri);
    assert.deepEqual([facts.allowlisted, facts.addable], [false, true]);
  });
  it('a fixed default is a URI', () => assert.equal(redirectFacts(opencode, []).byDefault.form, 'uri'));
  it('a default in words (the app decides) is words', () =>
    assert.equal(redirectFacts(sdk, []).byDefault.form, 'words'));
  it('exact match: another host or a trailing slash does not count as allowlisted', () => {
    const facts = redirectFacts(opencode, [
      'http://localhost:19876/mcp/oauth/callback',
      'http://127.0.0.1:19876/mcp/oauth/callback/',
    ]);
    assert.deepEqual([facts.allowlisted, facts.addable], [false, true]);
  });
  it('already allowlisted: nothing to add', () =>
    assert.deepEqual(redirectFacts(opencode, [opencode.recipeRedirectUri]).addable, false));
  it("every client's recipe sends a concrete URI", () => {
    for (const client of KNOWN_CLIENTS) assert.equal(isConcreteUri(client.recipeRedirectUri), true, client.id);
  });
});

describe('withRedirectUri', () => {
  const saved: McpSettings = {
    enabled: true,
    allowedRedirectUris: [CLAUDE_CODE_REDIRECT_URI],
    allowedClientIds: ['pinned'],
    policyScopes: ['CONTACTS_READ'],
    policyActive: true,
    updatedAt: null,
    warnings: [],
  };
  it('adds the URI and keeps every other setting as saved', () =>
    assert.deepEqual(withRedirectUri(saved, opencode.recipeRedirectUri), {
      enabled: true,
      allowedRedirectUris: ['http://localhost:3118/callback', opencode.recipeRedirectUri],
      allowedClientIds: ['pinned'],
      policyScopes: ['CONTACTS_READ'],
      policyActive: true,
    }));
  it('never adds it twice', () =>
    assert.deepEqual(withRedirectUri(saved, 'http://localhost:3118/callback').allowedRedirectUris, [
      'http://localhost:3118/callback',
    ]));
});

describe('clientIdItem', () => {
  it('an empty list lets any client in', () => assert.equal(clientIdItem(claude, []).ok, true));
  it("a list with the client's metadata document URL lets it in", () =>
    assert.equal(clientIdItem(claude, [claude.metadataDocumentUrl as string]).ok, true));
  it('a list without it: names the client ID to add', () => {
    const item = clientIdItem(claude, ['other']);
    assert.equal(item.ok, false);
    assert.match(item.fix, /without https:\/\/claude\.ai\/oauth\/claude-code-client-metadata/);
  });
  it('a dynamically registered client cannot be pinned ahead: any list refuses it', () =>
    assert.equal(clientIdItem(opencode, ['other']).ok, false));
});
