import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/options.ts';

describe('parseOptions', () => {
  it('defaults to what Claude Code does with --callback-port 3118', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ mcpUrl: 'http://localhost:3001/mcp', callbackPort: 3118, redirectHost: 'localhost', callbackPath: '/callback', browser: 'system', json: false });
    expect(options.clientId).toBeUndefined();
  });

  it('reads the URL, a pre-registered client and the playwright login', () => {
    const options = parseOptions([
      'http://127.0.0.1:4000/mcp',
      '--callback-port',
      '3119',
      '--redirect-host',
      '127.0.0.1',
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
      callbackPort: 3119,
      redirectHost: '127.0.0.1',
      clientId: 'ecl_1',
      clientSecret: 's',
      authMethod: 'client_secret_basic',
      browser: 'playwright',
      login: { email: 'a@b.c', password: 'p', workspace: 'Acme Outreach', deny: true },
      json: true,
    });
  });

  it.each([
    [['--callback-port', 'x'], '--callback-port must be a port number'],
    [['--redirect-host', 'example.com'], '--redirect-host must be one of localhost, 127.0.0.1'],
    [['--auth-method', 'private_key_jwt'], '--auth-method must be one of client_secret_post, client_secret_basic'],
    [['--browser=playwright'], '--browser=playwright needs --email and --password'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
