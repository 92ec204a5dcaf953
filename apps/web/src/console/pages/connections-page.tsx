import { grantCut } from '@enginy/policy/grant-cut';
import { Link } from '../../router.tsx';
import { AdminTable } from '../admin-table.tsx';
import { ConfirmButton } from '../confirm-button.tsx';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { ago, formatTime } from '../format.ts';
import type { Connection, EndedConnection } from '../types.ts';
import { ClientNameAndId, ScopeList, Uri } from '../ui.tsx';
import { useAction } from '../use-action.tsx';
import { useConsoleData } from '../use-console-data.ts';
import { EndedConnections } from './ended-connections.tsx';

const revokeQuestion = (what: string) => `${what}? The client's next call fails; it must authorize again.`;

/** Active connections (one row per grant) with their usage, refreshed every 2 s, and revocation. */
export function ConnectionsPage() {
  const { write, workspace, isAdmin } = useConsole();
  const polled = useConsoleData<{ connections: Connection[]; ended: EndedConnection[]; endedWithinDays: number }>(
    '/connections',
    2_000,
  );
  const action = useAction();

  const revoke = (request: () => Promise<{ revoked: string[] }>) =>
    void action.run(
      'Revoking…',
      async () => {
        const { revoked } = await request();
        return `Revoked ${revoked.length} connection(s): their tokens stopped working at once.`;
      },
      { failed: (reason) => `Not revoked: ${reason}`, after: polled.reload },
    );

  return (
    <section aria-labelledby="connections-title">
      <h1 id="connections-title">Active connections</h1>
      <p className="lead">
        Every live grant in {workspace.name}. Usage is written every 2 s and this list refreshes on its own.
      </p>
      {action.report}
      <DataStates
        items={polled.data?.connections}
        error={polled.error}
        what="connections"
        failed="Could not refresh the connections"
        empty={
          <>
            No active connection. When a client completes the browser flow and the token exchange, it appears here; if
            it does not, the <Link to="/console/attempts">authorization attempts</Link> say why.
          </>
        }
      >
        {(connections) => (
          <AdminTable
            label="Active connections"
            rows={connections}
            rowKey={(c) => c.grantId}
            columns={[
              {
                header: 'Client',
                className: 'client-cell',
                cell: (c) => <ClientNameAndId name={c.clientName} id={c.clientId} />,
              },
              { header: 'User', cell: (c) => c.userEmail },
              { header: 'Workspace', cell: () => workspace.name },
              { header: 'Redirect URI', cell: (c) => <Uri value={c.redirectUri} /> },
              {
                header: 'Scopes',
                className: 'scopes-cell',
                cell: (c) => (
                  <>
                    <ScopeList scopes={c.grantedScopes} />
                    {grantCut(c.grantedScopes, c.effectiveScopes).length > 0 && (
                      <p className="cut small">
                        Not in effect under the current policy:{' '}
                        <ScopeList scopes={grantCut(c.grantedScopes, c.effectiveScopes)} />
                      </p>
                    )}
                  </>
                ),
              },
              { header: 'Created', cell: (c) => formatTime(c.createdAt) },
              {
                header: 'Last used',
                cell: (c) => ago(c.lastUsedAt),
                props: (c) => ({ title: formatTime(c.lastUsedAt), 'data-testid': 'last-used' }),
              },
              { header: 'Calls', cell: (c) => <Calls connection={c} /> },
            ]}
            actions={
              isAdmin
                ? (c) => (
                    <div className="row-actions">
                      <ConfirmButton
                        question={revokeQuestion(`Revoke ${c.clientName} for ${c.userEmail}`)}
                        onConfirm={() => revoke(() => write('POST', `/connections/${c.grantId}/revoke`))}
                        aria-label={`Revoke ${c.clientName} for ${c.userEmail}`}
                      >
                        Revoke
                      </ConfirmButton>
                      <ConfirmButton
                        question={revokeQuestion(`Revoke every connection of ${c.clientName}`)}
                        onConfirm={() =>
                          revoke(() => write('POST', `/clients/${encodeURIComponent(c.clientId)}/revoke-all`))
                        }
                        className="secondary small"
                        aria-label={`Revoke all for ${c.clientName}`}
                      >
                        Revoke all for this client
                      </ConfirmButton>
                    </div>
                  )
                : undefined
            }
          />
        )}
      </DataStates>
      {polled.data !== undefined && (
        <EndedConnections ended={polled.data.ended} withinDays={polled.data.endedWithinDays} />
      )}
    </section>
  );
}

/** How many calls the connection made, and (opened) how many per tool. */
function Calls({ connection }: { connection: Connection }) {
  return (
    <>
      <span data-testid="calls">{connection.calls}</span>
      {connection.callsByTool.length > 0 && (
        <details className="by-tool">
          <summary>by tool</summary>
          <ul>
            {connection.callsByTool.map((t) => (
              <li key={t.tool}>
                <code>{t.tool}</code>: {t.calls}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
