import { KNOWN_CLIENTS } from '@enginy/config/known-clients';
import { type KeyboardEvent, useRef } from 'react';
import { Link, navigate, usePath } from '../../router.tsx';
import { mcpUrl as stackMcpUrl } from '../../runtime-config.ts';
import { ClientRecipe } from '../client-recipe.tsx';
import { clientFromQuery, redirectFacts } from '../connect-recipe.ts';
import { useConsole } from '../console-context.tsx';
import { ago, formatTime } from '../format.ts';
import type { Attempt, Connection, McpSettings } from '../types.ts';
import { CopyButton } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

/**
 * The product page "Connect Claude Code to Enginy MCP", for every tested client: pick one (the
 * choice is in the query string, ?client=…), get its exact recipe with a live checklist, then wait
 * for the first connection.
 */
export function ConnectPage() {
  const { read, workspace } = useConsole();
  const { search } = usePath();
  const client = clientFromQuery(search.get('client'));
  const mcpUrl = stackMcpUrl();
  const settings = usePoll(() => read<McpSettings>('/mcp-settings'), `settings:${workspace.id}`, 3_000);
  const connections = usePoll(
    async () => (await read<{ connections: Connection[] }>('/connections')).connections,
    `connections:${workspace.id}`,
    2_000,
  );
  const first = connections.data?.[0];
  // While waiting, the latest authorization attempt says why nothing has connected yet.
  const attempts = usePoll(
    async () => (await read<{ attempts: Attempt[] }>('/attempts?limit=20')).attempts,
    `attempts:${workspace.id}`,
    first ? 0 : 3_000,
  );
  const latest = attempts.data?.find((a) => a.kind === 'authorization');
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});

  const choose = (id: string) => navigate(`/console/connect?client=${encodeURIComponent(id)}`, { replace: true });
  // The tab pattern's keys: arrows move between clients, Home and End jump to the ends.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = KNOWN_CLIENTS.indexOf(client);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: KNOWN_CLIENTS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = KNOWN_CLIENTS[(next + KNOWN_CLIENTS.length) % KNOWN_CLIENTS.length];
    if (target === undefined) return;
    choose(target.id);
    tabs.current[target.id]?.focus();
  };

  return (
    <section aria-labelledby="connect-title">
      <h1 id="connect-title">Connect a client</h1>
      <p className="lead">
        Connect an MCP client to {workspace.name} through Enginy's MCP server, then watch the connection arrive here.
        Every recipe is tested against this stack.
      </p>

      <h2>MCP URL</h2>
      <p>
        <code data-testid="mcp-url">{mcpUrl}</code> <CopyButton text={mcpUrl} label="Copy URL" />
      </p>

      <h2 id="clients-heading">Client</h2>
      <div role="tablist" aria-labelledby="clients-heading" className="tabs" onKeyDown={onKeyDown}>
        {KNOWN_CLIENTS.map((c) => {
          const selected = c === client;
          const allowed = settings.data && redirectFacts(c, settings.data.allowedRedirectUris).allowlisted;
          return (
            <button
              key={c.id}
              ref={(element) => {
                tabs.current[c.id] = element;
              }}
              type="button"
              role="tab"
              id={`tab-${c.id}`}
              aria-selected={selected}
              aria-controls="client-panel"
              tabIndex={selected ? 0 : -1}
              className="tab"
              onClick={() => choose(c.id)}
            >
              {c.name}
              {allowed !== undefined && (
                <span
                  className="tab-dot"
                  data-state={allowed ? 'ok' : 'todo'}
                  title={allowed ? 'Its redirect URI is allowed' : 'Its redirect URI is not allowed yet'}
                  aria-hidden="true"
                />
              )}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id="client-panel" aria-labelledby={`tab-${client.id}`} className="tab-panel">
        <ClientRecipe key={client.id} client={client} mcpUrl={mcpUrl} settings={settings} />
      </div>

      <h2>Connection</h2>
      <div
        className={`waiting ${first ? 'connected' : ''}`}
        role="status"
        aria-live="polite"
        data-state={first ? 'connected' : 'waiting'}
      >
        <span className="dot" aria-hidden="true" />
        {first ? (
          <span>
            Connected: <strong>{first.clientName}</strong> for {first.userEmail}, last used {ago(first.lastUsedAt)}.{' '}
            <Link to="/console/connections">See connections</Link>
          </span>
        ) : connections.error ? (
          <span>Could not check for connections: {connections.error}</span>
        ) : (
          <span>Waiting for the first connection…</span>
        )}
      </div>
      {!first && latest && (
        <p className="latest-attempt" data-testid="latest-attempt">
          Latest authorization attempt, {formatTime(latest.at)}:{' '}
          <strong>{latest.clientName ?? latest.clientId ?? 'unknown client'}</strong>{' '}
          <span className={`badge ${latest.outcome}`}>{latest.outcome}</span>{' '}
          <span className="reason">{latest.message}</span>. <Link to="/console/attempts">See every attempt</Link>
        </p>
      )}
    </section>
  );
}
