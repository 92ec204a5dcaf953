// The doctor: connects to an MCP URL the way Claude Code does and records each step in the checklist.
// It needs only HTTP access to the servers, so it works against any Enginy-like deployment.
import { approveWithPlaywright, type BrowserMode, type BrowserRefusal, openSystemBrowser, type PlaywrightLogin } from './browser.ts';
import { type CallbackListener, type CallbackOutcome, startCallbackListener } from './callback-server.ts';
import { classifyCallbackError, classifyRefusal, classifyTokenError, type FlowFacts } from './classify.ts';
import { probeTokenEndpoint, readAuthServerMetadata, readChallenge, readResourceMetadata } from './discovery.ts';
import { type AuthMethod, type RegisteredClient, registerClient } from './registration.ts';
import { Checklist, ENTRIES, type Report, StepFailure } from './report.ts';
import { callWhoami } from './verify.ts';

export interface DoctorOptions {
  mcpUrl: string;
  callbackPort: number;
  /** `localhost` like Claude Code; some versions send `127.0.0.1`. */
  redirectHost: 'localhost' | '127.0.0.1';
  callbackPath: string;
  clientName: string;
  clientId?: string;
  clientSecret?: string;
  authMethod?: AuthMethod;
  /** Space-separated; default: the 401 challenge's scope, else the metadata's scopes_supported. */
  scope?: string;
  browser: BrowserMode;
  login?: PlaywrightLogin;
  /** How long to wait for the browser step. */
  timeoutMs: number;
  /** Where to tell the person what to open (print mode), never stdout's JSON. */
  say: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<DoctorOptions, 'say'> = {
  mcpUrl: 'http://localhost:3001/mcp',
  callbackPort: 3118,
  redirectHost: 'localhost',
  callbackPath: '/callback',
  clientName: 'Claude Code (enginy doctor)',
  browser: 'system',
  timeoutMs: 300_000,
};

export async function runDoctor(options: DoctorOptions): Promise<Report> {
  const checklist = new Checklist();
  try {
    await diagnose(options, checklist);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    checklist.fail(error);
  }
  return checklist.report(options.mcpUrl);
}

async function diagnose(options: DoctorOptions, checklist: Checklist): Promise<void> {
  const { mcpUrl } = options;
  const challenge = await readChallenge(mcpUrl);
  checklist.pass('reachable', `POST ${mcpUrl} → 401 with resource_metadata=${challenge.resourceMetadataUrl ?? '(none)'} scope="${challenge.scope ?? ''}"`);

  const prm = await readResourceMetadata(mcpUrl, challenge);
  checklist.pass('resource-metadata', `${prm.url}: resource ${prm.resource}, authorization server ${prm.authorizationServer}`);
  const as = await readAuthServerMetadata(prm.authorizationServer);
  checklist.pass('auth-server-metadata', `${as.url}: issuer ${as.issuer}, S256, token endpoint ${as.tokenEndpoint}`);
  checklist.pass('token-endpoint', await probeTokenEndpoint(as.tokenEndpoint));

  const redirectUri = `http://${options.redirectHost}:${options.callbackPort}${options.callbackPath}`;
  const client = await obtainClient(options, as, redirectUri);
  checklist.pass('registration', client.dynamic ? `Registered ${client.clientId} for ${redirectUri} (dynamic registration, public client)` : `Using client ${client.clientId} (${client.authMethod})`);

  const scopes = (options.scope ?? challenge.scope ?? prm.scopesSupported.join(' ')).split(' ').filter(Boolean);
  let listener: CallbackListener;
  try {
    listener = await startCallbackListener({ as, client, redirectUri, port: options.callbackPort, resource: prm.resource, scopes });
  } catch (error) {
    throw new StepFailure('callback-listener', `Could not listen on 127.0.0.1:${options.callbackPort}: ${(error as Error).message}`, ENTRIES.verify, `Close what uses port ${options.callbackPort} (another Claude Code login?) or pass --callback-port.`);
  }
  checklist.pass('callback-listener', `Listening on 127.0.0.1:${options.callbackPort}; redirect URI ${redirectUri}`);
  const facts: FlowFacts = { clientId: client.clientId, redirectUri, callbackPort: options.callbackPort, requestedScopes: scopes };
  try {
    const outcome = await browserStep(options, listener);
    if ('errorText' in outcome) throw classifyRefusal(outcome.errorText, facts);
    if (outcome.kind === 'authorization-error') throw classifyCallbackError(outcome.error, outcome.description, facts);
    // A code came back: the authorization server ran every check of the browser step and let it through.
    checklist.pass('redirect-uri', `${redirectUri} is allowed`);
    checklist.pass('client-id', `${client.clientId} is allowed`);
    checklist.pass('workspace-policy', 'MCP is enabled and the policy is active with scopes');
    checklist.pass('scopes', `Requested ${scopes.join(' ') || '(none: the policy ceiling applies)'}`);
    checklist.pass('consent', `Approved; the callback reached ${redirectUri}`);
    if (outcome.kind === 'token-error') throw classifyTokenError(outcome.status, outcome.error, outcome.description, as.tokenEndpoint);
    const token = outcome.token as typeof outcome.token & { scope?: string };
    if (typeof token.expires_in !== 'number') {
      // Without expires_in Claude Code stores expiresAt 0 and asks to authenticate again every session.
      throw new StepFailure('token-exchange', `The token response has no expires_in`, ENTRIES.tokenPath, 'Send expires_in with every token response, or Claude Code shows "needs authentication" at each start.');
    }
    checklist.pass('token-exchange', `Access token (expires_in ${token.expires_in}), scope "${String(token.scope ?? '')}"${outcome.iss === as.issuer ? ', iss matches' : ''}`);
    await verify(mcpUrl, String(token.access_token), checklist);
  } finally {
    await listener.close();
  }
}

async function obtainClient(options: DoctorOptions, as: Awaited<ReturnType<typeof readAuthServerMetadata>>, redirectUri: string): Promise<RegisteredClient> {
  if (options.clientId === undefined) return registerClient(as, options.clientName, redirectUri);
  const authMethod = options.authMethod ?? (options.clientSecret === undefined ? 'none' : 'client_secret_post');
  return { clientId: options.clientId, clientSecret: options.clientSecret, authMethod, dynamic: false };
}

/** Opens the browser and waits for the callback, or for the page to show a refusal. */
async function browserStep(options: DoctorOptions, listener: CallbackListener): Promise<CallbackOutcome | BrowserRefusal> {
  let received: CallbackOutcome | undefined;
  const outcome = listener.outcome.then((value) => {
    received = value;
    return value;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StepFailure('consent', `No callback within ${options.timeoutMs / 1000} s`, ENTRIES.noConnection, 'The OAuth flow must complete all the way through the browser callback. If the browser shows an "Authorization error" page, its message is the cause: see "Troubleshooting Claude Code connections" in the README.')),
      options.timeoutMs,
    );
  });
  try {
    return await waitForBrowser(options, listener, outcome, timeout, () => received !== undefined);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForBrowser(
  options: DoctorOptions,
  listener: CallbackListener,
  outcome: Promise<CallbackOutcome>,
  timeout: Promise<never>,
  done: () => boolean,
): Promise<CallbackOutcome | BrowserRefusal> {
  if (options.browser === 'playwright') {
    if (options.login === undefined) throw new Error('--browser=playwright needs --email and --password');
    const refusal = await Promise.race([approveWithPlaywright(listener.startUrl, options.login, done, options.timeoutMs), timeout]);
    if (refusal !== undefined) return refusal;
  } else {
    options.say(`Open this URL in a browser to sign in and approve:\n  ${listener.startUrl}`);
    if (options.browser === 'system') openSystemBrowser(listener.startUrl);
  }
  return Promise.race([outcome, timeout]);
}

async function verify(mcpUrl: string, accessToken: string, checklist: Checklist): Promise<void> {
  let result: Awaited<ReturnType<typeof callWhoami>>;
  try {
    result = await callWhoami(mcpUrl, accessToken);
  } catch (error) {
    throw new StepFailure('bearer', `The MCP server refused the bearer token: ${(error as Error).message}`, ENTRIES.verify, 'Check that the token was minted for this MCP URL (resource) and that MCP is still enabled for the workspace.');
  }
  const { whoami, tools } = result;
  checklist.connection = { user: whoami.user.email, workspace: whoami.workspace.name, client: whoami.client, grantedScopes: whoami.grantedScopes, policyScopes: whoami.policyScopes };
  checklist.pass('bearer', `mcp_whoami: ${whoami.user.email} in ${whoami.workspace.name} via ${whoami.client.name ?? whoami.client.id}; tools/list: ${tools.length} tools`);
  const failed = whoami.checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    throw new StepFailure('granted-scopes', failed.map((check) => check.detail).join(' '), ENTRIES.verify, 'Expand the policy again, or reconnect to get a grant within today\'s policy.');
  }
  checklist.pass('granted-scopes', `Granted ${whoami.grantedScopes.join(' ')}; workspace policy ${whoami.policyScopes.join(' ')}`);
}
