import { grantCut } from '@enginy/policy/grant-cut';
import { useState } from 'react';
import { Link } from '../../router.tsx';
import { useConsole } from '../console-context.tsx';
import { ago, errorText, formatTime } from '../format.ts';
import type { Connection, EndedConnection } from '../types.ts';
import { EndedConnections } from './ended-connections.tsx';
import { Empty, InlineError, Loading, ScopeList, Uri } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

/** Active connections (one row per grant) with their usage, refreshed every 2 s, and revocation. */
export function ConnectionsPage() {
  const { read, write, workspace, isAdmin } = useConsole();
  const polled = usePoll(
    () => read<{ connections: Connection[]; ended: EndedConnection[]; endedWithinDays: number }>('/connections'),
    `connections:${workspace.id}`,
    2_000,
  );
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();

  const revoke = async (what: string, request: () => Promise<{ revoked: string[] }>) => {
    if (!window.confirm(`${what}? The client's next call fails; it must authorize again.`)) return;
    setError(undefined);
    setStatus('Revoking…');
    try {
      const { revoked } = await request();
      setStatus(`Revoked ${revoked.length} connection(s): their tokens stopped working at once.`);
      await polled.reload();
    } catch (e) {
      setStatus('');
      setError(`Not revoked: ${errorText(e)}`);
    }
  };

  const connections = polled.data?.connections;
  return (
    <section aria-labelledby="connections-title">
      <h1 id="connections-title">Active connections</h1>
      <p className="lead">
        Every live grant in {workspace.name}. Usage is written every 2 s and this list refreshes on its own.
      </p>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
      {polled.error && <InlineError message={`Could not refresh the connections: ${polled.error}`} />}
      {connections === undefined ? (
        !polled.error && <Loading what="connections" />
      ) : connections.length === 0 ? (
        <Empty>
          No active connection. When a client completes the browser flow and the token exchange, it appears here; if it
          does not, the <Link to="/console/attempts">authorization attempts</Link> say why.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Active connections">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">User</th>
                <th scope="col">Workspace</th>
                <th scope="col">Redirect URI</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Calls</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <tr key={c.grantId}>
                  <td className="client-cell">
                    <strong>
                      <bdi>{c.clientName}</bdi>
                    </strong>
                    <br />
                    <code className="small">{c.clientId}</code>
                  </td>
                  <td>{c.userEmail}</td>
                  <td>{workspace.name}</td>
                  <td>
                    <Uri value={c.redirectUri} />
                  </td>
                  <td className="scopes-cell">
                    <ScopeList scopes={c.grantedScopes} />
                    {grantCut(c.grantedScopes, c.effectiveScopes).length > 0 && (
                      <p className="cut small">
                        Not in effect under the current policy:{' '}
                        <ScopeList scopes={grantCut(c.grantedScopes, c.effectiveScopes)} />
                      </p>
                    )}
                  </td>
                  <td>{formatTime(c.createdAt)}</td>
                  <td title={formatTime(c.lastUsedAt)} data-testid="last-used">
                    {ago(c.lastUsedAt)}
                  </td>
                  <td>
                    <span data-testid="calls">{c.calls}</span>
                    {c.callsByTool.length > 0 && (
                      <details className="by-tool">
                        <summary>by tool</summary>
                        <ul>
                          {c.callsByTool.map((t) => (
                            <li key={t.tool}>
                              <code>{t.tool}</code>: {t.calls}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  {isAdmin && (
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="danger small"
                          aria-label={`Revoke ${c.clientName} for ${c.userEmail}`}
                          onClick={() =>
                            void revoke(`Revoke ${c.clientName} for ${c.userEmail}`, () =>
                              write('POST', `/connections/${c.grantId}/revoke`),
                            )
                          }
                        >
                          Revoke
                        </button>
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={`Revoke all for ${c.clientName}`}
                          onClick={() =>
                            void revoke(`Revoke every connection of ${c.clientName}`, () =>
                              write('POST', `/clients/${encodeURIComponent(c.clientId)}/revoke-all`),
                            )
                          }
                        >
                          Revoke all for this client
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {polled.data !== undefined && (
        <EndedConnections ended={polled.data.ended} withinDays={polled.data.endedWithinDays} />
      )}
    </section>
  );
}
