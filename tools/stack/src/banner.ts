import { CLAUDE_CODE_CALLBACK_PORT, DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import type { Topology } from './topology.ts';

export function banner(config: StackConfig, databaseLabel: string, readyMs: number, topology?: Topology): string {
  const password =
    config.seed.adminPassword === DEFAULT_SEED_ADMIN.password
      ? config.seed.adminPassword
      : '(the password in SEED_ADMIN_PASSWORD)';
  const rows: [string, string][] = [
    ['Web app (sign-in, console)', config.web.url],
    ['Console', `${config.web.url}/console/connect`],
    ['OpenAPI service', config.openapi.url],
    ['MCP endpoint', config.openapi.mcpUrl],
    ['API OAuth routes (issuer)', config.auth.issuer],
    ['PostgreSQL', databaseLabel],
    ...(topology === undefined ? [] : topologyRows(config, topology)),
  ];
  const rule = '─'.repeat(78);
  return [
    '',
    rule,
    `  Enginy Local is running (ready in ${(readyMs / 1000).toFixed(1)} s)`,
    '',
    ...rows.map(([name, value]) => `  ${name.padEnd(28)} ${value}`),
    '',
    `  Sign in as ${config.seed.adminEmail} / ${password}`,
    '',
    '  Connect Claude Code:',
    `    claude mcp add --transport http --callback-port ${CLAUDE_CODE_CALLBACK_PORT} enginy ${config.openapi.mcpUrl}`,
    `    then watch it arrive in ${config.web.url}/console/connect`,
    '',
    '  Ctrl-C stops everything.',
    rule,
    '',
  ].join('\n');
}

/** The replicas each public URL balances over, and the shared store. */
function topologyRows(config: StackConfig, topology: Topology): [string, string][] {
  const list = (service: string, urls: string[]) => urls.map((url, i) => `${service}-${i + 1} ${url}`).join(', ');
  return [
    ['Load balancer (nginx)', `:${config.openapi.port} and :${config.auth.port}, round robin`],
    [`  → ${topology.replicas}× openapi`, list('openapi', topology.openapi)],
    [`  → ${topology.replicas}× auth`, list('auth', topology.auth)],
    ['Rate-limit store (Redis)', topology.redisUrl ?? 'none (one replica: in-process limits)'],
  ];
}
