// Command-line options of `pnpm run doctor [mcp-url]`.
import { parseArgs } from 'node:util';
import type { BrowserMode } from './browser.ts';
import type { AuthMethod } from './registration.ts';
import { DEFAULT_OPTIONS, type DoctorOptions } from './run.ts';

export const USAGE = `Usage: pnpm run doctor [mcp-url] [options]   (default ${DEFAULT_OPTIONS.mcpUrl})

  --callback-port <port>     loopback callback port (default 3118, like claude mcp add --callback-port 3118)
  --redirect-host <host>     localhost (default) or 127.0.0.1, as some Claude Code versions send
  --client-id <id>           use a pre-registered (or CIMD URL) client instead of dynamic registration
  --client-secret <secret>   its secret
  --auth-method <method>     client_secret_post (default with a secret) or client_secret_basic
  --scope "<scopes>"         request these scopes (default: what the server's 401 challenge names)
  --browser <mode>           system ($BROWSER or xdg-open, default), print, or playwright
  --email, --password        with --browser=playwright: sign in as this user
  --workspace <name>         with --browser=playwright: choose this workspace
  --deny                     with --browser=playwright: press Deny instead of Approve
  --timeout <seconds>        how long to wait for the browser step (default 300)
  --json                     print the checklist as JSON
`;

export type CliOptions = Omit<DoctorOptions, 'say'> & { json: boolean; help: boolean };

export function parseOptions(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'callback-port': { type: 'string' },
      'redirect-host': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'auth-method': { type: 'string' },
      scope: { type: 'string' },
      browser: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      workspace: { type: 'string' },
      deny: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  const port = Number(values['callback-port'] ?? DEFAULT_OPTIONS.callbackPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--callback-port must be a port number');
  const browser = oneOf<BrowserMode>('browser', values.browser, ['system', 'print', 'playwright']) ?? DEFAULT_OPTIONS.browser;
  if (browser === 'playwright' && (values.email === undefined || values.password === undefined)) throw new Error('--browser=playwright needs --email and --password');
  return {
    ...DEFAULT_OPTIONS,
    mcpUrl: positionals[0] ?? DEFAULT_OPTIONS.mcpUrl,
    callbackPort: port,
    redirectHost: oneOf('redirect-host', values['redirect-host'], ['localhost', '127.0.0.1'] as const) ?? DEFAULT_OPTIONS.redirectHost,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    authMethod: oneOf<AuthMethod>('auth-method', values['auth-method'], ['client_secret_post', 'client_secret_basic']),
    scope: values.scope,
    browser,
    login: values.email === undefined || values.password === undefined ? undefined : { email: values.email, password: values.password, workspace: values.workspace, deny: values.deny },
    timeoutMs: values.timeout === undefined ? DEFAULT_OPTIONS.timeoutMs : Number(values.timeout) * 1000,
    json: values.json,
    help: values.help,
  };
}
