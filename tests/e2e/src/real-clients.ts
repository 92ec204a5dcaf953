// What the real-client tests share: a stack per file, mcp_whoami with the token a CLI stored, and
// one report line per client of what it really sent (read from the authorize URL it opened and the
// client the authorization server recorded).
import { CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import type { Db } from '@enginy/db/client';
import type { TestStack } from '@enginy/stack/test-stack';
import type { ConsoleFlow } from '@enginy/testing/console-client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type AgentCli, cliVersion } from './agent-clis.ts';
import { consoleApi } from './console-api.ts';
import { waitForFreePort } from './doctor-run.ts';
import { type Whoami, whoami } from './whoami.ts';

/** The fixed callback port of the recipes (Claude Code's): one login on it at a time. */
export const freeCallbackPort = () => waitForFreePort(CLAUDE_CODE_CALLBACK_PORT);

/** mcp_whoami's answer, with what the policy tests read too. */
export interface FullWhoami extends Omit<Whoami, 'checks'> {
  effectiveScopes: string[];
  policyScopes: string[];
  checks: { check: string; ok: boolean; detail: string }[];
}

/** mcp_whoami called with `accessToken`, as the CLI would send it. */
export async function whoamiWithToken(mcpUrl: string, accessToken: string): Promise<FullWhoami> {
  const client = new Client({ name: 'e2e-stored-token', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
    }),
  );
  try {
    return (await whoami(client)) as unknown as FullWhoami;
  } finally {
    await client.close();
  }
}

/** The status code /mcp answers `accessToken` with (200 accepted, 401 not). */
export async function mcpStatus(mcpUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await response.body?.cancel();
  return response.status;
}

/** How the client behind `clientId` came to be known: a metadata document (and which copy) or a registration. */
export async function registrationOf(db: Db, clientId: string): Promise<string> {
  const row = await db
    .selectFrom('oauth_clients')
    .select(['kind', 'name', 'metadata_source'])
    .where('id', '=', clientId)
    .executeTakeFirst();
  if (row === undefined) return `unknown client ${clientId}`;
  if (row.kind === 'cimd') return `CIMD ${clientId} (${row.metadata_source ?? 'fetched'} metadata)`;
  if (row.kind === 'dynamic') return `DCR client_name "${row.name}"`;
  return `pre-registered "${row.name}"`;
}

export interface ClientFacts {
  cli: AgentCli;
  /** The authorization URL the CLI opened (the one that connected, or the last one). */
  authorizeUrl: string;
  result: string;
  /** From the login command's start until the CLI's own status said connected. */
  secondsToConnected?: number;
}

/** Prints one line: client, version, registration, redirect URI, scopes, result, seconds. */
export async function reportClient(db: Db, facts: ClientFacts): Promise<string> {
  const query = new URL(facts.authorizeUrl).searchParams;
  const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
  const line = [
    `[real-client] ${facts.cli} ${cliVersion(facts.cli)}`,
    await registrationOf(db, query.get('client_id') ?? ''),
    `redirect_uri ${query.get('redirect_uri')}`,
    `scope (${scopes.length}) ${scopes.join(' ')}`,
    facts.result,
    facts.secondsToConnected === undefined
      ? 'never connected'
      : `${facts.secondsToConnected.toFixed(1)} s to connected`,
  ].join(' | ');
  // biome-ignore lint/suspicious/noConsole: this line is the report the real-client tests exist to print.
  console.log(line);
  return line;
}

export type SentStep = ConsoleFlow['steps'][number];

/**
 * Every step the client behind `clientId` took in Acme's flows, oldest first, as the console's Flows
 * API shows them (what it sent, its user agent, the answer); each printed as one line, so that a
 * run's log says what the client really did.
 */
export async function clientSteps(stack: TestStack, cli: AgentCli, clientId: string): Promise<SentStep[]> {
  const flows = await (await consoleApi(stack)).flows({ clientId, limit: 50 });
  const steps = flows.flatMap((flow) => flow.steps).sort((a, b) => a.at.localeCompare(b.at));
  for (const step of steps) {
    const answer = [step.status, step.error, step.description].filter(Boolean).join(' ');
    // biome-ignore lint/suspicious/noConsole: what the client sent is the record these tests keep.
    console.log(
      `[${cli} sent] ${step.at} ${step.step} ${JSON.stringify(step.sent)} ua=${step.userAgent ?? '-'} -> ${answer}`,
    );
  }
  return steps;
}

/**
 * mcp_whoami's answer from the text an agent passed its model as the tool's result: the whole
 * CallToolResult (Cline), its text content, or the text alone (whatever the agent chose to pass).
 */
export function whoamiFromToolResult(text: string): FullWhoami {
  const value = JSON.parse(text.slice(text.indexOf('{'))) as {
    structuredContent?: FullWhoami;
    content?: { text?: string }[];
  };
  if (value.structuredContent !== undefined) return value.structuredContent;
  if (Array.isArray(value.content)) return JSON.parse(value.content[0]?.text ?? '{}') as FullWhoami;
  return value as unknown as FullWhoami;
}
