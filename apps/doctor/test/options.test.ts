import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/options.ts';

describe('parseOptions', () => {
  it('defaults to Claude Code, leaving the callback to the preset', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({
      mcpUrl: 'http://localhost:3001/mcp',
      as: 'claude-code',
      browser: 'system',
      json: false,
    });
    for (const flag of ['clientId', 'registration', 'scope', 'callbackPort', 'redirectHost', 'callbackPath'] as const)
      expect(options[flag]).toBeUndefined();
  });

  it('reads the URL, the preset, its overrides, a pre-registered client and the playwright login', () => {
    const options = parseOptions([
      'http://127.0.0.1:4000/mcp',
      '--as',
      'opencode',
      '--registration',
      'cimd',
      '--callback-port',
      '3119',
      '--redirect-host',
      '127.0.0.1',
      '--callback-path',
      '/cb',
      '--client-id',
      'ecl_1',
      '--client-secret',
      's',
      '--auth-method',
      'client_secret_basic',
      '--browser=playwright',
      '--email',
      'a@b.c',
      '--password',
      'p',
      '--workspace',
      'Acme Outreach',
      '--deny',
      '--json',
    ]);
    expect(options).toMatchObject({
      mcpUrl: 'http://127.0.0.1:4000/mcp',
      as: 'opencode',
      registration: 'cimd',
      callbackPort: 3119,
      redirectHost: '127.0.0.1',
      callbackPath: '/cb',
      clientId: 'ecl_1',
      clientSecret: 's',
      authMethod: 'client_secret_basic',
      browser: 'playwright',
      login: { email: 'a@b.c', password: 'p', workspace: 'Acme Outreach', deny: true },
      json: true,
    });
  });

  it('reads --conformance with an MCP URL and a token', () => {
    expect(parseOptions(['--conformance', 'https://mcp.example.com/mcp', '--token', 'eat_1', '--json'])).toMatchObject({
      conformance: true,
      mcpUrl: 'https://mcp.example.com/mcp',
      token: 'eat_1',
      json: true,
    });
    expect(parseOptions(['--conformance'])).toMatchObject({ conformance: true, mcpUrl: 'http://localhost:3001/mcp' });
    expect(parseOptions([]).conformance).toBe(false);
  });

  it.each([
    [['--token', 'eat_1'], '--token needs --conformance'],
    [['--as', 'cursor'], '--as must be one of claude-code, codex, opencode, mcp-remote'],
    [['--registration', 'manual'], '--registration must be one of cimd, dcr'],
    [
      ['--as', 'opencode', '--registration', 'cimd'],
      '--registration cimd: opencode has no client ID metadata document',
    ],
    [['--callback-port', 'x'], '--callback-port must be a port number'],
    [['--callback-path', 'callback'], '--callback-path must start with /'],
    [['--redirect-host', 'example.com'], '--redirect-host must be one of localhost, 127.0.0.1'],
    [['--auth-method', 'private_key_jwt'], '--auth-method must be one of client_secret_post, client_secret_basic'],
    [['--browser=playwright'], '--browser=playwright needs --email and --password'],
    [['--bogus'], 'Unknown option --bogus'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it.each([[['--help']], [['-h']], [['--as', 'cursor', '-h']]])(
    'answers help for %j, whatever else is there',
    (argv) => {
      expect(parseOptions(argv).help).toBe(true);
    },
  );
});
