// What the tests that drive the real Codex CLI share: its two callback settings, its own token store
// and the "Auth" column of `codex mcp list`, and `codex exec` with a stand-in model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand, type RunResult, run, type Scratch } from './agent-clis.ts';
import { type ResponsesStandIn, startResponsesStandIn } from './responses-model-server.ts';

export const codex = cliCommand('codex');

/** Without them Codex listens on 127.0.0.1:<random>/callback, which no workspace can allowlist ahead. */
export const CODEX_CALLBACK = [
  '-c',
  'mcp_oauth_callback_port=3118',
  '-c',
  'mcp_oauth_callback_url="http://localhost:3118/callback"',
];

/** A `codex` subcommand with the callback settings, run to its end in the scratch project. */
export const codexCli = (s: Scratch, ...args: string[]) =>
  run([...codex, ...args, ...CODEX_CALLBACK], { cwd: s.project, env: s.env });

/** The "Auth" column of `codex mcp list` for enginy ("o_auth" once logged in). */
export async function codexAuthStatus(s: Scratch): Promise<string> {
  const { output } = await codexCli(s, 'mcp', 'list', '--json');
  const servers = JSON.parse(output.slice(output.indexOf('['))) as { name: string; auth_status?: string }[];
  return servers.find((server) => server.name === 'enginy')?.auth_status ?? output;
}

export interface CodexStoredToken {
  issuer: string;
  client_id: string;
  access_token: string;
  refresh_token: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

/**
 * Codex's OAuth store: the OS keyring when there is one, else ~/.codex/.credentials.json (the case
 * here: the scratch environment has no D-Bus session, so no keyring).
 */
export function codexStoredToken(s: Scratch): CodexStoredToken {
  const store = JSON.parse(readFileSync(join(s.home, '.codex', '.credentials.json'), 'utf8')) as Record<
    string,
    CodexStoredToken & { server_name: string }
  >;
  const entry = Object.values(store).find((token) => token.server_name === 'enginy');
  if (entry === undefined) throw new Error('Codex stored no token for enginy');
  return entry;
}

/**
 * `codex exec <prompt>` with a stand-in model (Codex speaks only the Responses API) that calls the
 * MCP tool whose name ends with `tool`: what Codex printed, and what it offered and passed the model.
 * The server is marked `required`: otherwise the run starts its first turn while the server may
 * still be starting (on a loaded machine its tools were missing now and then), and a server that
 * fails to start is left out without a word; required, the run waits for it and says why it failed.
 */
export async function codexExec(
  s: Scratch,
  tool: string,
  input: object,
  prompt: string,
): Promise<RunResult & { model: ResponsesStandIn }> {
  const model = await startResponsesStandIn(tool, input);
  try {
    const provider = [
      ['model_provider', '"stand-in"'],
      ['model_providers.stand-in.name', '"stand-in"'],
      ['model_providers.stand-in.base_url', `"${model.url}"`],
      ['model_providers.stand-in.wire_api', '"responses"'],
      ['mcp_servers.enginy.required', 'true'],
    ].flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    const ran = await run(
      [...codex, 'exec', '--skip-git-repo-check', '-m', 'gpt-5', ...provider, ...CODEX_CALLBACK, prompt],
      {
        cwd: s.project,
        env: s.env,
        timeoutMs: 120_000,
      },
    );
    return { ...ran, model };
  } finally {
    await model.close();
  }
}
