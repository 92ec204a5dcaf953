// The doctor: connects to an MCP URL the way a real client does (`--as`, Claude Code by default) and
// records each step in the checklist. It needs only HTTP access to the servers, so it works against
// any Enginy-like deployment.
import { approveWithPlaywright, type BrowserRefusal, openSystemBrowser } from './browser.ts';
import {
  type CallbackListener,
  type CallbackOutcome,
  loopbackPortFree,
  startCallbackListener,
} from './callback-server.ts';
import {
  classifyCallbackError,
  classifyRefusal,
  classifyTokenError,
  type FlowFacts,
  isUnusableMetadataDocument,
  metadataDocumentFailure,
} from './classify.ts';
import {
  type AuthServerMetadata,
  probeTokenEndpoint,
  readAuthServerMetadata,
  readChallenge,
  readResourceMetadata,
} from './discovery.ts';
import type { DoctorOptions } from './options.ts';
import {
  busyPorts,
  planRedirect,
  type RedirectPlan,
  planRegistration,
  planScopes,
  presetClient,
  presetLabel,
  type RegistrationPlan,
  redirectForRegistration,
} from './presets.ts';
import { checkMetadataDocumentClient, type RegisteredClient, registerClient } from './registration.ts';
import { Checklist, ENTRIES, type Report, StepFailure } from './report.ts';
import { callWhoami } from './verify.ts';

/** The loopback port the doctor will listen on for these options (the preset's, or --callback-port). */
export const callbackPortOf = (options: Pick<DoctorOptions, 'as' | 'callbackPort'>): number =>
  planRedirect(options.as, options).port;

export async function runDoctor(options: DoctorOptions): Promise<Report> {
  return (await connect(options)).report;
}

/** The connection checklist and, once the token exchange succeeded, the access token it got. */
export async function connect(options: DoctorOptions): Promise<{ report: Report; accessToken?: string }> {
  const checklist = new Checklist();
  const got: { accessToken?: string } = {};
  try {
    await diagnose(options, checklist, got);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    checklist.fail(error);
  }
  return { report: checklist.report(options.mcpUrl), ...got };
}

async function diagnose(options: DoctorOptions, checklist: Checklist, got: { accessToken?: string }): Promise<void> {
  const { mcpUrl } = options;
  const known = presetClient(options.as);
  let redirect = await redirectOnFreePort(options);
  let redirectUri = redirect.uri;
  checklist.plan = { preset: options.as, client: presetLabel(options.as), redirectUri, redirectWhy: redirect.why };

  const challenge = await readChallenge(mcpUrl);
  checklist.pass(
    'reachable',
    `POST ${mcpUrl} → 401 with resource_metadata=${challenge.resourceMetadataUrl ?? '(none)'} scope="${challenge.scope ?? ''}"`,
  );
  const prm = await readResourceMetadata(mcpUrl, challenge);
  checklist.pass(
    'resource-metadata',
    `${prm.url}: resource ${prm.resource}, authorization server ${prm.authorizationServer}, scopes_supported "${prm.scopesSupported.join(' ')}"`,
  );
  const as = await readAuthServerMetadata(prm.authorizationServer);
  checklist.pass(
    'auth-server-metadata',
    `${as.url}: issuer ${as.issuer}, S256, token endpoint ${as.tokenEndpoint}${as.cimdSupported ? ', client ID metadata documents supported' : ''}`,
  );
  checklist.pass('token-endpoint', await probeTokenEndpoint(as.tokenEndpoint));

  // The client's two choices that depend on what the servers advertise.
  const registration = planRegistration(options.as, as, options);
  redirect = redirectForRegistration(options.as, redirect, registration, options);
  redirectUri = redirect.uri;
  checklist.plan = { ...checklist.plan, redirectUri, redirectWhy: redirect.why };
  const scopePlan = planScopes(
    options.as,
    { challengeScope: challenge.scope, resourceScopes: prm.scopesSupported, authServerScopes: as.scopesSupported },
    options.scope,
  );
  const scopes = scopePlan.scopes;
  const planned = {
    kind: registration.kind,
    why: registration.why,
    ...(registration.kind === 'dcr' ? {} : { clientId: registration.clientId }),
  };
  checklist.plan = { ...checklist.plan, registration: planned, scopes: { requested: scopes, why: scopePlan.why } };

  const client = await obtainClient(options, registration, as, { redirectUri, resource: prm.resource, scopes });
  checklist.plan = { ...checklist.plan, registration: { ...planned, clientId: client.clientId } };
  checklist.pass('registration', registrationDetail(registration, client, redirectUri));

  let listener: CallbackListener;
  try {
    listener = await startCallbackListener({
      as,
      client,
      redirectUri,
      port: redirect.port,
      resource: prm.resource,
      scopes,
    });
  } catch (error) {
    throw new StepFailure(
      'callback-listener',
      `Could not listen on 127.0.0.1:${redirect.port}: ${(error as Error).message}`,
      ENTRIES.verify,
      `Close what uses port ${redirect.port} (another ${known.name} login?) or pass --callback-port.`,
    );
  }
  checklist.pass('callback-listener', `Listening on 127.0.0.1:${redirect.port}; redirect URI ${redirectUri}`);
  const facts: FlowFacts = {
    client: known,
    clientId: client.clientId,
    redirectUri,
    callbackPort: redirect.port,
    requestedScopes: scopes,
  };
  try {
    const outcome = await browserStep(options, listener);
    const passed = {
      'redirect-uri': `${redirectUri} is allowed`,
      'client-id': `${client.clientId} is allowed`,
      'workspace-policy': 'MCP is enabled and the policy is active with scopes',
      scopes: `Requested ${scopes.join(' ') || '(none: the policy ceiling applies)'} (${scopePlan.why})`,
    } as const;
    if ('errorText' in outcome || outcome.kind === 'authorization-error') {
      const failure =
        'errorText' in outcome
          ? classifyRefusal(outcome.errorText, facts, outcome.details)
          : classifyCallbackError(outcome.error, outcome.description, facts);
      // The workspace checks run in this order (packages/policy): the ones before the failed one passed.
      const order = Object.keys(passed) as (keyof typeof passed)[];
      // A denial at the consent screen means every workspace check had passed (only then is Approve shown).
      const deniedByPerson = !('errorText' in outcome) && outcome.error === 'access_denied';
      const failedAt = deniedByPerson ? order.length : order.indexOf(failure.step as keyof typeof passed);
      for (const step of order.slice(0, Math.max(failedAt, 0))) checklist.pass(step, passed[step]);
      throw failure;
    }
    // A code came back: the authorization server ran every check of the browser step and let it through.
    for (const [step, detail] of Object.entries(passed)) checklist.pass(step as keyof typeof passed, detail);
    checklist.pass('consent', `Approved; the callback reached ${redirectUri}`);
    if (outcome.kind === 'token-error')
      throw classifyTokenError(outcome.status, outcome.error, outcome.description, as.tokenEndpoint);
    const token = outcome.token as typeof outcome.token & { scope?: string };
    if (typeof token.expires_in !== 'number') {
      // Without expires_in Claude Code stores expiresAt 0 and asks to authenticate again every session.
      throw new StepFailure(
        'token-exchange',
        `The token response has no expires_in`,
        ENTRIES.tokenPath,
        'Send expires_in with every token response, or Claude Code shows "needs authentication" at each start.',
      );
    }
    checklist.pass(
      'token-exchange',
      `Access token (expires_in ${token.expires_in}), scope "${String(token.scope ?? '')}"${outcome.iss === as.issuer ? ', iss matches' : ''}`,
    );
    got.accessToken = String(token.access_token);
    await verify(mcpUrl, String(token.access_token), checklist);
  } finally {
    await listener.close();
  }
}

/**
 * The recipe's redirect, or, for a client that moves on while its port is taken (Cline), the first
 * of its next ports that is free, as that client would send it. --callback-port leaves it as given.
 */
async function redirectOnFreePort(options: DoctorOptions): Promise<RedirectPlan> {
  const planned = planRedirect(options.as, options);
  if (options.callbackPort !== undefined) return planned;
  const taken: number[] = [];
  for (const port of [planned.port, ...busyPorts(options.as)]) {
    if (await loopbackPortFree(port)) {
      if (taken.length === 0) return planned;
      const moved = planRedirect(options.as, { ...options, callbackPort: port });
      const name = presetClient(options.as).name;
      return { ...moved, why: `port ${taken.join(' and ')} taken, so ${name} moves to ${port} (${planned.why})` };
    }
    taken.push(port);
  }
  // All taken: the listener step says so.
  return planned;
}

async function obtainClient(
  options: DoctorOptions,
  registration: RegistrationPlan,
  as: AuthServerMetadata,
  request: { redirectUri: string; resource: string; scopes: string[] },
): Promise<RegisteredClient> {
  if (registration.kind === 'dcr') return registerClient(as, registration.clientName, request.redirectUri);
  if (registration.kind === 'preregistered') {
    const authMethod = options.authMethod ?? (options.clientSecret === undefined ? 'none' : 'client_secret_post');
    return { clientId: registration.clientId, clientSecret: options.clientSecret, authMethod, dynamic: false };
  }
  const check = await checkMetadataDocumentClient(as, { clientId: registration.clientId, ...request });
  if (!check.ok) {
    const facts = {
      client: presetClient(options.as),
      clientId: registration.clientId,
      redirectUri: request.redirectUri,
    };
    if (isUnusableMetadataDocument(check.description)) throw metadataDocumentFailure(check.description, facts);
    throw new StepFailure(
      'registration',
      `The authorization server refused client_id ${registration.clientId}: ${check.description}`,
      ENTRIES.clientId,
      `Check the client ID metadata document at ${registration.clientId}.`,
    );
  }
  return { clientId: registration.clientId, clientSecret: undefined, authMethod: 'none', dynamic: false };
}

function registrationDetail(registration: RegistrationPlan, client: RegisteredClient, redirectUri: string): string {
  if (registration.kind === 'dcr')
    return `Registered ${client.clientId} as "${registration.clientName}" for ${redirectUri} (dynamic registration, public client)`;
  if (registration.kind === 'cimd')
    return `${client.clientId}: client ID metadata document, which the authorization server resolved (nothing registered)`;
  return `Using client ${client.clientId} (${client.authMethod})`;
}

/** Opens the browser and waits for the callback, or for the page to show a refusal. */
async function browserStep(
  options: DoctorOptions,
  listener: CallbackListener,
): Promise<CallbackOutcome | BrowserRefusal> {
  let received: CallbackOutcome | undefined;
  const outcome = listener.outcome.then((value) => {
    received = value;
    return value;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StepFailure(
            'consent',
            `No callback within ${options.timeoutMs / 1000} s`,
            ENTRIES.noConnection,
            'The OAuth flow must complete all the way through the browser callback. If the browser shows an "Authorization error" page, its message is the cause: see "Troubleshooting Claude Code connections" in the README.',
          ),
        ),
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
    const refusal = await Promise.race([
      approveWithPlaywright(listener.startUrl, options.login, done, options.timeoutMs, options.chromium),
      timeout,
    ]);
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
    throw new StepFailure(
      'bearer',
      `The MCP server refused the bearer token: ${(error as Error).message}`,
      ENTRIES.verify,
      'Check that the token was minted for this MCP URL (resource) and that MCP is still enabled for the workspace.',
    );
  }
  const { whoami, tools } = result;
  checklist.connection = {
    user: whoami.user.email,
    workspace: whoami.workspace.name,
    client: whoami.client,
    grantedScopes: whoami.grantedScopes,
    policyScopes: whoami.policyScopes,
  };
  checklist.failureLab = whoami.failureLab;
  checklist.pass(
    'bearer',
    `mcp_whoami: ${whoami.user.email} in ${whoami.workspace.name} via ${whoami.client.name ?? whoami.client.id}; tools/list: ${tools.length} tools`,
  );
  // The lab's own failed check (a scenario is on) is not about scopes: the report's lab line says it.
  const failed = whoami.checks.filter((check) => !check.ok && !isLabCheck(check.check));
  if (failed.length > 0) {
    throw new StepFailure(
      'granted-scopes',
      failed.map((check) => check.detail).join(' '),
      ENTRIES.verify,
      "Expand the policy again, or reconnect to get a grant within today's policy.",
    );
  }
  checklist.pass(
    'granted-scopes',
    `Granted ${whoami.grantedScopes.join(' ')}; workspace policy ${whoami.policyScopes.join(' ')}`,
  );
}

/** mcp_whoami's check that no failure-lab scenario is on (apps/openapi/src/mcp/whoami.ts). */
function isLabCheck(check: string): boolean {
  return /failure-lab/i.test(check);
}
