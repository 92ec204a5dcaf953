// Each preset makes the choices its real client makes (packages/config's known-clients table), and
// a flag overrides the preset.
import { describe, expect, it } from 'vitest';
import {
  type PresetId,
  type PresetOverrides,
  planRedirect,
  planRegistration,
  planScopes,
  redirectForRegistration,
} from '../src/presets.ts';

const CLAUDE_DOCUMENT = 'https://claude.ai/oauth/claude-code-client-metadata';
const CODEX_DOCUMENT = 'https://chatgpt.com/oauth/codex/client.json';
const COPILOT_DOCUMENT = 'https://github.com/copilot/cli/client-metadata.json';

describe('planRedirect: the recipe redirect URI, then --callback-port, --redirect-host, --callback-path', () => {
  it.each<[PresetId, PresetOverrides, string]>([
    ['claude-code', {}, 'http://localhost:3118/callback'],
    ['codex', {}, 'http://localhost:3118/callback'],
    ['opencode', {}, 'http://127.0.0.1:19876/mcp/oauth/callback'],
    ['mcp-remote', {}, 'http://localhost:3118/callback'],
    ['claude-code', { callbackPort: 3119 }, 'http://localhost:3119/callback'],
    ['claude-code', { redirectHost: '127.0.0.1' }, 'http://127.0.0.1:3118/callback'],
    ['codex', { callbackPort: 3120, redirectHost: '127.0.0.1' }, 'http://127.0.0.1:3120/callback'],
    ['mcp-remote', { callbackPath: '/oauth/callback' }, 'http://localhost:3118/oauth/callback'],
    ['opencode', { callbackPort: 19877 }, 'http://127.0.0.1:19877/mcp/oauth/callback'],
    // Copilot CLI with "auth": { "redirectPort": 3118 }: host and path are its own, 127.0.0.1 and /callback.
    ['copilot-cli', {}, 'http://127.0.0.1:3118/callback'],
    ['qwen-code', {}, 'http://localhost:7777/oauth/callback'],
    ['cline', {}, 'http://127.0.0.1:1456/mcp/oauth/callback'],
    // The Inspector with --callback-url http://localhost:3118/callback (its default is 127.0.0.1:6276/oauth/callback).
    ['inspector', {}, 'http://localhost:3118/callback'],
    [
      'inspector',
      { redirectHost: '127.0.0.1', callbackPort: 6276, callbackPath: '/oauth/callback' },
      'http://127.0.0.1:6276/oauth/callback',
    ],
  ])('%s %j → %s', (preset, overrides, uri) => {
    const plan = planRedirect(preset, overrides);
    expect(plan.uri).toBe(uri);
    expect(plan.port).toBe(Number(new URL(uri).port));
    expect(plan.why).toMatch(Object.keys(overrides).length === 0 ? /recipe: / : /^--/);
  });
});

describe('redirectForRegistration: Copilot CLI registering dynamically sends the path /, not /callback', () => {
  it.each<[PresetId, 'cimd' | 'dcr', PresetOverrides, string]>([
    ['copilot-cli', 'cimd', {}, 'http://127.0.0.1:3118/callback'],
    ['copilot-cli', 'dcr', {}, 'http://127.0.0.1:3118/'],
    ['copilot-cli', 'dcr', { callbackPort: 3148 }, 'http://127.0.0.1:3148/'],
    ['copilot-cli', 'dcr', { callbackPath: '/callback' }, 'http://127.0.0.1:3118/callback'],
    ['claude-code', 'dcr', {}, 'http://localhost:3118/callback'],
    ['cline', 'dcr', {}, 'http://127.0.0.1:1456/mcp/oauth/callback'],
  ])('%s, %s, %j → %s', (preset, kind, overrides, uri) => {
    const plan = redirectForRegistration(preset, planRedirect(preset, overrides), { kind }, overrides);
    expect(plan.uri).toBe(uri);
    expect(plan.why.includes('registering dynamically')).toBe(uri.endsWith(':3118/') || uri.endsWith(':3148/'));
  });
});

describe('planRegistration: CIMD when the client has a document and the server advertises it, else DCR', () => {
  it.each<[PresetId, boolean, PresetOverrides, { kind: string; clientId?: string; clientName?: string }, RegExp]>([
    [
      'claude-code',
      true,
      {},
      { kind: 'cimd', clientId: CLAUDE_DOCUMENT },
      /advertises client_id_metadata_document_supported/,
    ],
    ['claude-code', false, {}, { kind: 'dcr', clientName: 'Claude Code (enginy doctor)' }, /does not advertise/],
    ['codex', true, {}, { kind: 'cimd', clientId: CODEX_DOCUMENT }, /advertises/],
    ['codex', false, {}, { kind: 'dcr', clientName: 'Codex CLI (enginy doctor)' }, /does not advertise/],
    ['opencode', true, {}, { kind: 'dcr', clientName: 'OpenCode' }, /^as "OpenCode": opencode always registers$/],
    ['mcp-remote', true, {}, { kind: 'dcr', clientName: 'MCP CLI Proxy' }, /always registers/],
    ['copilot-cli', true, {}, { kind: 'cimd', clientId: COPILOT_DOCUMENT }, /advertises/],
    // Seen through a proxy that hid client_id_metadata_document_supported.
    ['copilot-cli', false, {}, { kind: 'dcr', clientName: 'GitHub Copilot CLI' }, /does not advertise/],
    [
      'qwen-code',
      true,
      {},
      { kind: 'dcr', clientName: 'Qwen Code MCP Client' },
      /^as "Qwen Code MCP Client": Qwen Code always registers$/,
    ],
    ['cline', true, {}, { kind: 'dcr', clientName: 'Cline' }, /^as "Cline": Cline always registers$/],
    ['inspector', true, {}, { kind: 'dcr', clientName: 'MCP Inspector' }, /MCP Inspector always registers/],
    [
      'claude-code',
      true,
      { registration: 'dcr' },
      { kind: 'dcr', clientName: 'Claude Code (enginy doctor)' },
      /--registration dcr/,
    ],
    ['codex', false, { registration: 'cimd' }, { kind: 'cimd', clientId: CODEX_DOCUMENT }, /--registration cimd/],
    ['mcp-remote', true, { clientName: 'Mine' }, { kind: 'dcr', clientName: 'Mine' }, /always registers/],
    [
      'claude-code',
      true,
      { clientId: 'ecl_1', registration: 'dcr' },
      { kind: 'preregistered', clientId: 'ecl_1' },
      /--client-id/,
    ],
    [
      'opencode',
      false,
      { clientId: 'http://localhost:4000/doc.json' },
      { kind: 'cimd', clientId: 'http://localhost:4000/doc.json' },
      /--client-id/,
    ],
  ])('%s, CIMD advertised %s, %j', (preset, cimdSupported, overrides, expected, why) => {
    const plan = planRegistration(preset, { cimdSupported }, overrides);
    expect(plan).toMatchObject(expected);
    expect(plan.why).toMatch(why);
  });

  it('refuses --registration cimd for a client without a document', () => {
    expect(() => planRegistration('opencode', { cimdSupported: true }, { registration: 'cimd' })).toThrow(
      'opencode has no client ID metadata document',
    );
  });
});

describe('planScopes: what each client asks for', () => {
  const PRM = ['CONTACTS_READ', 'LISTS_READ', 'CONTACTS_WRITE'];
  const CHALLENGE = 'CONTACTS_READ LISTS_READ';
  const AS = ['CONTACTS_READ', 'LISTS_READ', 'CONTACTS_WRITE'];
  const AS_OFFLINE = [...AS, 'offline_access'];
  it.each<[PresetId, string | undefined, string[], string[], string | undefined, string[], RegExp]>([
    // Claude Code and Codex log in with the resource metadata's whole list, whatever the challenge says.
    [
      'claude-code',
      CHALLENGE,
      PRM,
      AS,
      undefined,
      PRM,
      /protected-resource metadata's whole scopes_supported: Claude Code's login asks for all of it, not for the 401 challenge's scope/,
    ],
    [
      'claude-code',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      [...PRM, 'offline_access'],
      /offline_access appended because the authorization server lists it/,
    ],
    ['claude-code', undefined, [], AS_OFFLINE, undefined, ['offline_access'], /lists no scopes_supported/],
    [
      'codex',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      PRM,
      /whole scopes_supported: Codex CLI's login asks for all of it/,
    ],
    // opencode and mcp-remote take the challenge's scope; without one they differ.
    [
      'opencode',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      ['CONTACTS_READ', 'LISTS_READ'],
      /401 challenge's scope, as opencode asks/,
    ],
    [
      'mcp-remote',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      ['CONTACTS_READ', 'LISTS_READ'],
      /401 challenge's scope, as mcp-remote asks/,
    ],
    [
      'opencode',
      undefined,
      PRM,
      AS,
      undefined,
      PRM,
      /names no scope, so opencode falls back to the protected-resource metadata/,
    ],
    [
      'mcp-remote',
      undefined,
      PRM,
      AS,
      undefined,
      ['openid', 'email', 'profile'],
      /falls back to "openid email profile"/,
    ],
    // Qwen Code asks for the resource metadata's whole list, whatever the challenge says.
    [
      'qwen-code',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      PRM,
      /whole scopes_supported: Qwen Code's login asks for all of it/,
    ],
    // Copilot CLI and Cline take the challenge's scope, else the resource metadata's.
    [
      'copilot-cli',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      ['CONTACTS_READ', 'LISTS_READ'],
      /as GitHub Copilot CLI asks$/,
    ],
    ['cline', CHALLENGE, PRM, AS_OFFLINE, undefined, ['CONTACTS_READ', 'LISTS_READ'], /as Cline asks$/],
    ['cline', undefined, PRM, AS, undefined, PRM, /names no scope, so Cline falls back to the protected-resource/],
    // The Inspector asks for the resource metadata's whole list, whatever the challenge says, and
    // appends offline_access when the authorization server lists it.
    [
      'inspector',
      CHALLENGE,
      PRM,
      AS_OFFLINE,
      undefined,
      [...PRM, 'offline_access'],
      /whole scopes_supported: MCP Inspector's login asks for all of it.*; offline_access appended/,
    ],
    [
      'inspector',
      CHALLENGE,
      PRM,
      AS,
      undefined,
      PRM,
      /whole scopes_supported: MCP Inspector's login asks for all of it/,
    ],
    // --scope wins over every preset.
    ['claude-code', CHALLENGE, PRM, AS_OFFLINE, 'CONTACTS_WRITE', ['CONTACTS_WRITE'], /--scope/],
    ['opencode', CHALLENGE, PRM, AS, 'LISTS_READ CONTACTS_READ', ['LISTS_READ', 'CONTACTS_READ'], /--scope/],
  ])(
    '%s (challenge %j, metadata %j, AS %j, --scope %j)',
    (preset, challengeScope, resourceScopes, authServerScopes, override, scopes, why) => {
      const plan = planScopes(preset, { challengeScope, resourceScopes, authServerScopes }, override);
      expect(plan.scopes).toEqual(scopes);
      expect(plan.why).toMatch(why);
    },
  );
});
