import { describe, expect, it } from 'vitest';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { KNOWN_CLIENTS, knownClient } from '@enginy/config/known-clients';
import {
  clientFromQuery,
  clientIdItem,
  fixSteps,
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
    expect(clientFromQuery(null).id).toBe('claude-code');
    expect(clientFromQuery('netscape').id).toBe('claude-code');
  });
  it('opens on the client the query names', () => expect(clientFromQuery('opencode')).toBe(opencode));
});

describe('redirectFacts', () => {
  it('a random-port default is a pattern, never addable; the recipe URI is what to add', () => {
    const facts = redirectFacts(claude, []);
    expect(facts.byDefault.form).toBe('pattern');
    expect(facts.sent).toBe(claude.recipeRedirectUri);
    expect([facts.allowlisted, facts.addable]).toEqual([false, true]);
  });
  it('a fixed default is a URI', () => expect(redirectFacts(opencode, []).byDefault.form).toBe('uri'));
  it('a default in words (the app decides) is words', () =>
    expect(redirectFacts(sdk, []).byDefault.form).toBe('words'));
  it('exact match: another host or a trailing slash does not count as allowlisted', () => {
    const facts = redirectFacts(opencode, [
      'http://localhost:19876/mcp/oauth/callback',
      'http://127.0.0.1:19876/mcp/oauth/callback/',
    ]);
    expect([facts.allowlisted, facts.addable]).toEqual([false, true]);
  });
  it('already allowlisted: nothing to add', () =>
    expect(redirectFacts(opencode, [opencode.recipeRedirectUri]).addable).toEqual(false));
  it("every client's recipe sends a concrete URI", () => {
    for (const client of KNOWN_CLIENTS) expect(isConcreteUri(client.recipeRedirectUri), client.id).toBe(true);
  });
});

describe('fixSteps: the admin allows the exact URI, then the client sends it', () => {
  const copilotUri = 'http://127.0.0.1:3118/callback';
  it.each<[string, string[], { who: string; done?: boolean; text: string }[]]>([
    // Both steps, in that order: Copilot CLI's default port is random.
    [
      'copilot-cli',
      [CLAUDE_CODE_REDIRECT_URI],
      [
        { who: 'admin', done: false, text: `An admin adds ${copilotUri} to Allowed redirect URIs (exact match).` },
        { who: 'client', text: expect.stringMatching(/^In GitHub Copilot CLI: "auth": \{ "redirectPort": 3118 \}/) },
      ],
    ],
    [
      'copilot-cli',
      [copilotUri],
      [
        { who: 'admin', done: true, text: `${copilotUri} is already in Allowed redirect URIs: no admin change.` },
        { who: 'client', text: expect.stringContaining('"redirectPort": 3118') },
      ],
    ],
    // The Inspector's recipe sends the URI the seed already allows: its own flag is all it takes.
    [
      'mcp-inspector',
      [CLAUDE_CODE_REDIRECT_URI],
      [
        { who: 'admin', done: true, text: expect.stringContaining('no admin change') },
        {
          who: 'client',
          text: expect.stringMatching(/^In MCP Inspector: --callback-url http:\/\/localhost:3118\/callback/),
        },
      ],
    ],
    // Fixed defaults: allowing them is the whole fix.
    [
      'qwen-code',
      [CLAUDE_CODE_REDIRECT_URI],
      [
        {
          who: 'admin',
          done: false,
          text: 'An admin adds http://localhost:7777/oauth/callback to Allowed redirect URIs (exact match).',
        },
      ],
    ],
    [
      'cline',
      [CLAUDE_CODE_REDIRECT_URI],
      [
        {
          who: 'admin',
          done: false,
          text: 'An admin adds http://127.0.0.1:1456/mcp/oauth/callback to Allowed redirect URIs (exact match).',
        },
      ],
    ],
  ])('%s with %j allowed', (id, allowed, steps) => {
    expect(fixSteps(knownClient(id as Parameters<typeof knownClient>[0]), allowed)).toEqual(steps);
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
    expect(withRedirectUri(saved, opencode.recipeRedirectUri)).toEqual({
      enabled: true,
      allowedRedirectUris: ['http://localhost:3118/callback', opencode.recipeRedirectUri],
      allowedClientIds: ['pinned'],
      policyScopes: ['CONTACTS_READ'],
      policyActive: true,
    }));
  it('never adds it twice', () =>
    expect(withRedirectUri(saved, 'http://localhost:3118/callback').allowedRedirectUris).toEqual([
      'http://localhost:3118/callback',
    ]));
});

describe('clientIdItem', () => {
  it('an empty list lets any client in', () => expect(clientIdItem(claude, []).ok).toBe(true));
  it("a list with the client's metadata document URL lets it in", () =>
    expect(clientIdItem(claude, [claude.metadataDocumentUrl as string]).ok).toBe(true));
  it('a list without it: names the client ID to add', () => {
    const item = clientIdItem(claude, ['other']);
    expect(item.ok).toBe(false);
    expect(item.fix).toMatch(/without https:\/\/claude\.ai\/oauth\/claude-code-client-metadata/);
  });
  it('a dynamically registered client cannot be pinned ahead: any list refuses it', () =>
    expect(clientIdItem(opencode, ['other']).ok).toBe(false));
});
