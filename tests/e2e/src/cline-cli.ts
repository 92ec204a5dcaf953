// What the tests that drive the real Cline CLI share: the redirect URI it sends, its environment, a
// command run to its end, and the OAuth state it keeps for enginy in its MCP settings file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cliCommand, run, type Scratch } from './agent-clis.ts';

export const cline = cliCommand('cline');
/** Fixed (1457 or 1458 when 1456 is taken): what a workspace allowlists for it. */
export const CLINE_REDIRECT_URI = 'http://127.0.0.1:1456/mcp/oauth/callback';

/** Without CLINE_SESSION_BACKEND_MODE=local every task leaves a hub daemon of Cline's running in the background. */
export const clineEnv = (s: Scratch): Record<string, string> => ({ ...s.env, CLINE_SESSION_BACKEND_MODE: 'local' });

/** `cline <args>` in the scratch project, to its end: its exit code and what it printed, plain. */
export async function clineCli(s: Scratch, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const { code, output } = await run([...cline, ...args], { cwd: s.project, env: clineEnv(s), timeoutMs: 120_000 });
  return { code, output: stripVTControlCharacters(output) };
}

export interface ClineOAuth {
  clientInformation?: { client_id: string };
  tokens?: { access_token: string; refresh_token: string; expires_in: number; scope: string };
  authorizationRequired?: boolean;
  lastError?: string;
}

/** enginy's OAuth state, which Cline keeps in its MCP settings file. */
export function clineOAuth(s: Scratch): ClineOAuth {
  const settings = JSON.parse(
    readFileSync(join(s.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'), 'utf8'),
  ) as { mcpServers: Record<string, { oauth?: ClineOAuth }> };
  return settings.mcpServers.enginy?.oauth ?? {};
}
