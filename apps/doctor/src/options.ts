// The doctor's options, and the command line of `pnpm run doctor [mcp-url]` that sets them. Light on
// purpose: the CLI reads its command line with this module alone, before it loads the doctor.
import { parseCommandLine, UsageError } from '@enginy/config/cli-args';
import type { Browser } from 'playwright-core';
import type { BrowserMode, PlaywrightLogin } from './browser.ts';
import {
  DEFAULT_PRESET,
  noDocument,
  PRESETS,
  type PresetId,
  type PresetOverrides,
  presetClient,
  presetSummaries,
  type RedirectHost,
  type RegistrationKind,
} from './presets.ts';
import type { AuthMethod } from './registration.ts';

export interface DoctorOptions extends PresetOverrides {
  mcpUrl: string;
  /** The real client whose choices the doctor makes: registration, scopes, redirect URI. */
  as: PresetId;
  clientSecret?: string;
  authMethod?: AuthMethod;
  browser: BrowserMode;
  login?: PlaywrightLogin;
  /** With `browser: 'playwright'`, a Chromium already running to use instead of launching one (no CLI flag). */
  chromium?: Browser;
  /** How long to wait for the browser step. */
  timeoutMs: number;
  /** Where to tell the person what to open (print mode), never stdout's JSON. */
  say: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<DoctorOptions, 'say'> = {
  mcpUrl: 'http://localhost:3001/mcp',
  as: DEFAULT_PRESET,
  browser: 'system',
  timeoutMs: 300_000,
};

export const USAGE = `Usage: pnpm run doctor [mcp-url] [options]   (default ${DEFAULT_OPTIONS.mcpUrl})
       pnpm run doctor --conformance [mcp-url] [--token <token>] [options]

Connects the way a real client does and prints a checklist with the fix for each failure.
With --conformance, checks what the deployment publishes instead: protected-resource and
authorization-server metadata, the 401 challenge, OAuth errors at /token, the Host/Origin rules,
and initialize, ping and tools/list with a token (--token, or one from the connection flow).

  --as <client>              the client whose choices to make (default ${DEFAULT_PRESET}):
${presetSummaries()
  .map((line) => `      ${line}`)
  .join('\n')}
  --registration <kind>      cimd or dcr, instead of what the client would choose from the server's metadata
  --client-id <id>           use a pre-registered client (or a client ID metadata document URL) instead
  --client-secret <secret>   its secret
  --auth-method <method>     client_secret_post (default with a secret) or client_secret_basic
  --scope "<scopes>"         request these scopes instead of the client's own choice
  --callback-port <port>     loopback callback port instead of the client's recipe (listed above)
  --redirect-host <host>     localhost or 127.0.0.1 instead of the recipe's (some Claude Code versions send 127.0.0.1)
  --callback-path <path>     callback path instead of the recipe's (listed above)
  --browser <mode>           system ($BROWSER or xdg-open, default), print, or playwright
  --email, --password        with --browser=playwright: sign in as this user
  --workspace <name>         with --browser=playwright: choose this workspace
  --deny                     with --browser=playwright: press Deny instead of Approve
  --timeout <seconds>        how long to wait for the browser step (default 300)
  --conformance              the conformance checklist instead of the connection checklist
  --token <token>            with --conformance: use this access token instead of the connection flow
  --json                     print the checklist as JSON
  -h, --help                 this help
`;

export type CliOptions = Omit<DoctorOptions, 'say' | 'chromium'> & {
  json: boolean;
  help: boolean;
  conformance: boolean;
  token?: string;
};

/** The doctor's command line for the shared reader (@enginy/config/cli-args). */
export const DOCTOR_COMMAND = {
  usage: USAGE,
  positionals: true,
  options: {
    as: { type: 'string' },
    registration: { type: 'string' },
    'callback-port': { type: 'string' },
    'callback-path': { type: 'string' },
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
    conformance: { type: 'boolean', default: false },
    token: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
} as const;

/** The options, or `help: true` for --help / -h; a command line it cannot run with throws UsageError. */
export function parseOptions(argv: string[]): CliOptions {
  const parsed = parseCommandLine(DOCTOR_COMMAND, argv);
  if (parsed === 'help') return { ...DEFAULT_OPTIONS, json: false, help: true, conformance: false };
  const { values, positionals } = parsed;
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value))
      throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  const port = values['callback-port'] === undefined ? undefined : Number(values['callback-port']);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535))
    throw new UsageError('--callback-port must be a port number');
  const path = values['callback-path'];
  if (path !== undefined && !path.startsWith('/')) throw new UsageError('--callback-path must start with /');
  const as = oneOf('as', values.as, PRESETS) ?? DEFAULT_OPTIONS.as;
  const registration = oneOf<RegistrationKind>('registration', values.registration, ['cimd', 'dcr']);
  if (
    registration === 'cimd' &&
    values['client-id'] === undefined &&
    presetClient(as).metadataDocumentUrl === undefined
  )
    throw new UsageError(noDocument(as));
  const browser =
    oneOf<BrowserMode>('browser', values.browser, ['system', 'print', 'playwright']) ?? DEFAULT_OPTIONS.browser;
  if (browser === 'playwright' && (values.email === undefined || values.password === undefined))
    throw new UsageError('--browser=playwright needs --email and --password');
  if (values.token !== undefined && !values.conformance)
    throw new UsageError('--token needs --conformance (the connection checklist gets its own token)');
  return {
    ...DEFAULT_OPTIONS,
    mcpUrl: positionals[0] ?? DEFAULT_OPTIONS.mcpUrl,
    as,
    registration,
    callbackPort: port,
    redirectHost: oneOf<RedirectHost>('redirect-host', values['redirect-host'], ['localhost', '127.0.0.1']),
    callbackPath: path,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    authMethod: oneOf<AuthMethod>('auth-method', values['auth-method'], ['client_secret_post', 'client_secret_basic']),
    scope: values.scope,
    browser,
    login:
      values.email === undefined || values.password === undefined
        ? undefined
        : { email: values.email, password: values.password, workspace: values.workspace, deny: values.deny },
    timeoutMs: values.timeout === undefined ? DEFAULT_OPTIONS.timeoutMs : Number(values.timeout) * 1000,
    conformance: values.conformance,
    ...(values.token === undefined ? {} : { token: values.token }),
    json: values.json,
    help: false,
  };
}
