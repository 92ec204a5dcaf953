import { Link } from '../../router.tsx';
import { useConsole } from '../console-context.tsx';
import { ago, formatTime } from '../format.ts';
import type { Attempt, Connection, McpSettings } from '../types.ts';
import { CopyButton, InlineError, Loading } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

const CALLBACK = 'http://localhost:3118/callback';

/**
 * The product page "Connect Claude Code to Enginy MCP" for this workspace: the command, the
 * "Before you start" checklist with each item's live state, and a wait for the first connection.
 */
export function ConnectPage() {
  const { read, workspace } = useConsole();
  const mcpUrl = __ENGINY_MCP_URL__;
  const command = `claude mcp add --transport http --callback-port 3118 enginy ${mcpUrl}`;
  const settings = usePoll(() => read<McpSettings>('/mcp-settings'), `settings:${workspace.id}`, 3_000);
  const connections = usePoll(async () => (await read<{ connections: Connection[] }>('/connections')).connections, `connections:${workspace.id}`, 2_000);

  const s = settings.data;
  const checklist = s && [
    { label: 'MCP integration enabled', ok: s.enabled, fix: 'Enable the MCP integration in MCP settings.' },
    {
      label: 'MCP policy active with at least one scope',
      ok: s.policyActive && s.policyScopes.length > 0,
      fix: s.policyActive ? 'Choose the MCP policy scopes Claude Code may request.' : 'Make the policy active in MCP settings.',
    },
    { label: `${CALLBACK} in Allowed redirect URIs`, ok: s.allowedRedirectUris.includes(CALLBACK), fix: `Add ${CALLBACK} to Allowed redirect URIs (exact match).` },
    {
      label: 'Allowed OAuth client IDs empty for the first connection',
      ok: s.allowedClientIds.length === 0,
      fix: `The list pins ${s.allowedClientIds.length} client ID(s): Claude Code's new client ID will be refused unless it is on it.`,
    },
  ];
  const first = connections.data?.[0];
  // While waiting, the latest authorization attempt says why nothing has connected yet.
  const attempts = usePoll(async () => (await read<{ attempts: Attempt[] }>('/attempts?limit=20')).attempts, `attempts:${workspace.id}`, first ? 0 : 3_000);
  const latest = attempts.data?.find((a) => a.kind === 'authorization');

  return (
    <section aria-labelledby="connect-title">
      <h1 id="connect-title">Connect Claude Code</h1>
      <p className="lead">Connect Claude Code to {workspace.name} through Enginy's MCP server, then watch the connection arrive here.</p>

      <h2>MCP URL</h2>
      <p>
        <code data-testid="mcp-url">{mcpUrl}</code> <CopyButton text={mcpUrl} label="Copy URL" />
      </p>

      <h2 id="before-heading">Before you start</h2>
      {settings.error && <InlineError message={`Could not read the MCP settings: ${settings.error}`} />}
      {checklist === undefined ? (
        !settings.error && <Loading what="the workspace settings" />
      ) : (
        <ul className="checklist" aria-labelledby="before-heading">
          {checklist.map((item) => (
            <li key={item.label} data-state={item.ok ? 'ok' : 'todo'}>
              <span className="mark" aria-hidden="true">
                {item.ok ? '✓' : '✗'}
              </span>
              <span>
                {item.label}: <strong>{item.ok ? 'done' : 'not yet'}</strong>
                {!item.ok && (
                  <span className="muted">
                    {' '}
                    — {item.fix} <Link to="/console/settings">Open MCP settings</Link>
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Add the hosted server</h2>
      <pre className="command" data-testid="claude-command">
        {command}
      </pre>
      <CopyButton text={command} label="Copy command" />
      <p>
        Then run <code>claude mcp login enginy</code> (or <code>/mcp</code> → enginy → Authenticate), sign in, choose {workspace.name} and Approve. Ask Claude Code to run{' '}
        <code>mcp_whoami</code> to verify the connection.
      </p>

      <h2>Connection</h2>
      <div className={`waiting ${first ? 'connected' : ''}`} role="status" aria-live="polite" data-state={first ? 'connected' : 'waiting'}>
        <span className="dot" aria-hidden="true" />
        {first ? (
          <span>
            Connected: <strong>{first.clientName}</strong> for {first.userEmail}, last used {ago(first.lastUsedAt)}. <Link to="/console/connections">See connections</Link>
          </span>
        ) : connections.error ? (
          <span>Could not check for connections: {connections.error}</span>
        ) : (
          <span>Waiting for the first connection…</span>
        )}
      </div>
      {!first && latest && (
        <p className="latest-attempt" data-testid="latest-attempt">
          Latest authorization attempt, {formatTime(latest.at)}: <strong>{latest.clientName ?? latest.clientId ?? 'unknown client'}</strong>{' '}
          <span className={`badge ${latest.outcome}`}>{latest.outcome}</span> <span className="reason">{latest.message}</span>.{' '}
          <Link to="/console/attempts">See every attempt</Link>
        </p>
      )}
    </section>
  );
}
