// What the tests that drive the real Cline CLI share: the redirect URI it sends, its environment, a
// command run to its end, and the OAuth state it keeps for enginy in its MCP settings file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cliCommand, run, type Scratch, scratch } from './agent-clis.ts';

export const cline = cliCommand('cline');
/** Fixed (1457 or 1458 when 1456 is taken): what a workspace allowlists for it. */
export const CLINE_REDIRECT_URI = 'http://127.0.0.1:1456/mcp/oauth/callback';

/**
 * A scratch HOME whose Cline has opted out of telemetry and auto-update, as a user can in its global
 * settings. Otherwise every command ends by retrying its OpenTelemetry export to otel.cline.bot
 * (and asks registry.npmjs.org for a newer version): through the scratch's dead-end proxy, about 7 s
 * of backing off before each command exits (3.0.65: `cline --version` 10 s, 2 s opted out).
 */
export function clineScratch(): Scratch {
  const s = scratch('cline');
  const settings = join(s.home, '.cline', 'data', 'settings');
  mkdirSync(settings, { recursive: true });
  writeFileSync(
    join(settings, 'global-settings.json'),
    JSON.stringify({ telemetryOptOut: true, autoUpdateEnabled: false }),
  );
  return s;
}

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
