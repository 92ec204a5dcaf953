// `pnpm run doctor --conformance [mcp-url]`: holds a deployment to the contracts it publishes, as a
// checklist of independent rows (a failed row skips only the rows that need its result). Discovery,
// probes and the token come from the connection doctor; this file adds the rules and the MCP calls.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  AUTH_SERVER_METADATA_RULES,
  CHALLENGE_RULES,
  problemsOf,
  RESOURCE_METADATA_RULES,
} from './conformance-rules.ts';
import {
  type AuthServerMetadata,
  type Challenge,
  readAuthServerMetadata,
  readChallenge,
  readResourceMetadata,
  type ResourceMetadata,
} from './discovery.ts';
import { judge, originProbes, sendProbe } from './host-origin.ts';
import { networkError } from './http.ts';
import { presetLabel } from './presets.ts';
import { Checklist, ENTRIES, type Report, StepFailure } from './report.ts';
import type { DoctorOptions } from './options.ts';
import { connect } from './run.ts';
import { probeTokenErrors } from './token-errors.ts';
import { connectClient } from './verify.ts';

export const CONFORMANCE_STEPS = [
  ['challenge', '401 challenge names resource_metadata and scope (RFC 9728 §5.1)'],
  [
    'resource-metadata',
    'Protected-resource metadata (RFC 9728): resource is the MCP URL, scopes_supported without offline_access',
  ],
  [
    'auth-server-metadata',
    'Authorization-server metadata (RFC 8414): issuer, S256, code, grant types, iss (RFC 9207), token auth methods',
  ],
  ['token-errors', 'Token endpoint answers OAuth JSON errors (RFC 6749 §5.2)'],
  ['token', 'Access token (--token, or the connection flow)'],
  ['host-origin', 'Host and Origin checked (DNS rebinding); loopback aliases of its own origin accepted'],
  ['initialize', 'MCP initialize: protocol version, server info, tools capability'],
  ['ping', 'MCP ping'],
  ['tools-list', 'MCP tools/list: named tools with object input schemas'],
] as const;

export type ConformanceStepId = (typeof CONFORMANCE_STEPS)[number][0];

export interface ConformanceOptions extends DoctorOptions {
  /** A bearer token for the MCP URL; without one the doctor gets one through the connection flow. */
  token?: string;
}

type Rows = Checklist<ConformanceStepId>;

/** Runs `check`; a StepFailure (of either checklist) becomes this row's failure. */
async function row<T>(rows: Rows, id: ConformanceStepId, check: () => Promise<T>): Promise<T | undefined> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    rows.fail(new StepFailure(id, error.detail, error.entry, error.fix));
    return undefined;
  }
}

/** One row's failure from every problem found (`where`: the document or endpoint they are about). */
const failure = (id: ConformanceStepId, problems: string[], fixes: string[], where?: string) =>
  new StepFailure<ConformanceStepId>(
    id,
    `${where ? `${where}: ` : ''}${problems.join('; ')}`,
    ENTRIES.tokenPath,
    fixes.join(' '),
  );

export async function runConformance(options: ConformanceOptions): Promise<Report<ConformanceStepId>> {
  const { mcpUrl } = options;
  const rows = new Checklist<ConformanceStepId>(CONFORMANCE_STEPS, 'conformance');

  const challenge = await row(rows, 'challenge', async () => {
    const read = await readChallenge(mcpUrl);
    const { problems, fixes } = problemsOf(CHALLENGE_RULES, read);
    if (problems.length > 0) throw failure('challenge', problems, fixes);
    rows.pass(
      'challenge',
      `POST ${mcpUrl} → 401, resource_metadata=${read.resourceMetadataUrl}, scope="${read.scope}"`,
    );
    return read;
  });
  const prm = await row(rows, 'resource-metadata', () =>
    checkResourceMetadata(rows, mcpUrl, challenge ?? { resourceMetadataUrl: undefined, scope: undefined }),
  );
  let as: AuthServerMetadata | undefined;
  if (prm === undefined)
    rows.skip(
      'auth-server-metadata',
      'Skipped: no authorization server is known without the protected-resource metadata',
    );
  else as = await row(rows, 'auth-server-metadata', () => checkAuthServerMetadata(rows, prm));
  if (as === undefined)
    rows.skip('token-errors', 'Skipped: no token endpoint is known without the authorization-server metadata');
  else {
    const metadata = as;
    await row(rows, 'token-errors', () => checkTokenErrors(rows, metadata));
  }

  const token = await row(rows, 'token', () => obtainToken(rows, options));
  await row(rows, 'host-origin', () => checkHostOrigin(rows, mcpUrl, token));
  if (token === undefined) {
    for (const id of ['initialize', 'ping', 'tools-list'] as const) rows.skip(id, 'Skipped: no access token');
  } else {
    await checkMcp(rows, mcpUrl, token);
  }
  return rows.report(mcpUrl);
}

async function checkResourceMetadata(rows: Rows, mcpUrl: string, challenge: Challenge): Promise<ResourceMetadata> {
  const prm = await readResourceMetadata(mcpUrl, challenge);
  const { problems, fixes } = problemsOf(RESOURCE_METADATA_RULES, prm.document);
  // RFC 9728 §5.1: the challenge's URL is where the client reads the metadata; a fallback is a guess.
  if (challenge.resourceMetadataUrl !== undefined && prm.url !== challenge.resourceMetadataUrl) {
    problems.unshift(
      `the challenge's resource_metadata ${challenge.resourceMetadataUrl} did not answer JSON; ${prm.url} did`,
    );
    fixes.unshift('Serve the protected-resource metadata at the URL the 401 challenge names.');
  }
  if (problems.length > 0) throw failure('resource-metadata', problems, fixes, prm.url);
  rows.pass(
    'resource-metadata',
    `${prm.url}: resource ${prm.resource}, authorization server ${prm.authorizationServer}, scopes_supported "${prm.scopesSupported.join(' ')}"`,
  );
  return prm;
}

async function checkAuthServerMetadata(rows: Rows, prm: ResourceMetadata): Promise<AuthServerMetadata> {
  const as = await readAuthServerMetadata(prm.authorizationServer);
  const { problems, fixes } = problemsOf(AUTH_SERVER_METADATA_RULES, as.document);
  if (problems.length > 0) throw failure('auth-server-metadata', problems, fixes, as.url);
  const doc = as.document;
  rows.pass(
    'auth-server-metadata',
    `${as.url}: issuer ${as.issuer}, S256, response types ${String(doc.response_types_supported)}, grant types ${String(doc.grant_types_supported)}, iss parameter, token endpoint auth ${as.tokenAuthMethods.join(' ')}`,
  );
  return as;
}

const TOKEN_ERRORS_FIX =
  'Answer every failed token request with status 400 (401 for a failed client authentication), Content-Type application/json and {"error": "<RFC 6749 §5.2 code>"}: clients show "Cannot POST /token" or a parse error otherwise.';

async function checkTokenErrors(rows: Rows, as: AuthServerMetadata): Promise<void> {
  const { lines, problems } = await probeTokenErrors(as.tokenEndpoint);
  if (problems.length > 0) throw failure('token-errors', problems, [TOKEN_ERRORS_FIX], `POST ${as.tokenEndpoint}`);
  rows.pass('token-errors', `POST ${as.tokenEndpoint}: ${lines.join('; ')}`);
}

async function obtainToken(rows: Rows, options: ConformanceOptions): Promise<string> {
  if (options.token !== undefined) {
    rows.pass('token', 'Given with --token');
    return options.token;
  }
  const flow = await connect(options);
  rows.plan = flow.report.plan;
  const client = presetLabel(options.as);
  const { verdict } = flow.report;
  const failedLabel = flow.report.steps.find((step) => step.id === verdict.step)?.label;
  if (flow.accessToken === undefined) {
    throw new StepFailure<ConformanceStepId>(
      'token',
      `The connection flow as ${client} stopped at "${failedLabel}": ${verdict.cause}`,
      verdict.entry,
      `${verdict.fix ?? ''} Run pnpm run doctor ${options.mcpUrl} for the whole connection checklist, or pass --token.`.trim(),
    );
  }
  rows.pass(
    'token',
    `From the connection flow as ${client}${verdict.status === 'connected' ? ' (connected)' : `, which then failed at "${failedLabel}": ${verdict.cause}`}`,
  );
  return flow.accessToken;
}

async function checkHostOrigin(rows: Rows, mcpUrl: string, token: string | undefined): Promise<void> {
  const lines: string[] = [];
  const problems: string[] = [];
  for (const probe of originProbes(mcpUrl)) {
    let status: number;
    try {
      status = await sendProbe(mcpUrl, probe, token);
    } catch (error) {
      problems.push(`Host ${probe.host}: ${networkError(error)}`);
      continue;
    }
    const problem = judge(probe, status);
    if (problem !== undefined) problems.push(problem);
    lines.push(`${probe.origin ?? `Host ${probe.host}`} → ${status}`);
  }
  if (problems.length > 0) {
    throw new StepFailure<ConformanceStepId>(
      'host-origin',
      problems.join('; '),
      undefined,
      "Check Host and Origin before anything else (MCP transports: servers MUST validate Origin; 403 for an invalid one): refuse other sites, accept the server's own origin and, when it runs on localhost, 127.0.0.1 and [::1] with the same scheme and port (Enginy: packages/policy/origin.ts).",
    );
  }
  rows.pass(
    'host-origin',
    `${lines.join(', ')}${lines.some((line) => line.endsWith('401')) ? ' (401: past the check, at authentication)' : ''}`,
  );
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

async function checkMcp(rows: Rows, mcpUrl: string, token: string): Promise<void> {
  let client: Client;
  try {
    const connected = await connectClient(mcpUrl, token);
    client = connected.client;
    const server = client.getServerVersion();
    const capabilities = client.getServerCapabilities() ?? {};
    if (capabilities.tools === undefined) {
      rows.fail(
        new StepFailure(
          'initialize',
          `${server?.name} declares no tools capability (${Object.keys(capabilities).join(', ') || 'none'})`,
          ENTRIES.verify,
          'Declare capabilities.tools in the initialize result.',
        ),
      );
    } else {
      rows.pass(
        'initialize',
        `Protocol ${connected.transport.protocolVersion}, ${server?.name} ${server?.version}, capabilities ${Object.keys(capabilities).join(', ')}`,
      );
    }
  } catch (error) {
    rows.fail(
      new StepFailure(
        'initialize',
        `initialize with the token failed: ${(error as Error).message}`,
        ENTRIES.verify,
        'A 401 means the token was refused (expired, minted for another resource, or MCP disabled for its workspace): run the doctor without --token to get a new one.',
      ),
    );
    for (const id of ['ping', 'tools-list'] as const) rows.skip(id, 'Skipped: initialize failed');
    return;
  }
  try {
    await row(rows, 'ping', async () => {
      const started = Date.now();
      try {
        await client.ping();
      } catch (error) {
        throw new StepFailure(
          'ping',
          `ping failed: ${(error as Error).message}`,
          ENTRIES.verify,
          'Answer ping with an empty result {} (MCP basic/utilities/ping).',
        );
      }
      rows.pass('ping', `{} in ${Date.now() - started} ms`);
    });
    await row(rows, 'tools-list', () => checkTools(rows, client));
  } finally {
    await client.close();
  }
}

async function checkTools(rows: Rows, client: Client): Promise<void> {
  const names: string[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      names.push(...page.tools.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined && names.length < 10_000);
  } catch (error) {
    // The SDK validates each tool (a name, an inputSchema of type "object") and says which is wrong.
    throw new StepFailure(
      'tools-list',
      `tools/list failed: ${(error as Error).message}`,
      ENTRIES.verify,
      'Each tool needs a name and an inputSchema of type "object" (MCP server/tools).',
    );
  }
  const duplicates = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  const badNames = names.filter((name) => !TOOL_NAME.test(name));
  const problems = [
    ...(duplicates.length > 0 ? [`duplicate tool names: ${duplicates.join(', ')}`] : []),
    // MCP 2025-11-25 server/tools, "Tool names": 1 to 128 characters of A-Z a-z 0-9 _ - .
    ...(badNames.length > 0
      ? [
          `tool names outside 1–128 of A-Z a-z 0-9 _ - .: ${badNames
            .slice(0, 5)
            .map((n) => JSON.stringify(n))
            .join(', ')}`,
        ]
      : []),
  ];
  if (problems.length > 0)
    throw new StepFailure(
      'tools-list',
      problems.join('; '),
      ENTRIES.verify,
      'Give every tool a unique name of 1–128 characters from A-Z a-z 0-9 _ - . (clients refuse or rename the others).',
    );
  rows.pass('tools-list', `${names.length} tools: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`);
}
