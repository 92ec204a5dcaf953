import { AdminTable } from '../admin-table.tsx';
import { formatTime } from '../format.ts';
import type { EndedConnection } from '../types.ts';
import { ClientNameAndId, ScopeList, Uri } from '../ui.tsx';

/**
 * Connections that ended without a Revoke on this page (their member was removed): listed apart
 * from the active ones, marked ended with the reason, so a connection never silently disappears.
 */
export function EndedConnections({ ended, withinDays }: { ended: EndedConnection[]; withinDays: number }) {
  if (ended.length === 0) return null;
  return (
    <section aria-labelledby="ended-connections-title">
      <h2 id="ended-connections-title">Recently ended connections</h2>
      <p className="muted">
        Ended in the last {withinDays} days without anyone revoking them here. They no longer work; the authorization
        attempts keep what happened.
      </p>
      <AdminTable
        label="Recently ended connections"
        rows={ended}
        rowKey={(c) => c.grantId}
        rowProps={() => ({ 'data-testid': 'ended-connection' })}
        columns={[
          {
            header: 'Client',
            className: 'client-cell',
            cell: (c) => <ClientNameAndId name={c.clientName} id={c.clientId} />,
          },
          { header: 'User', cell: (c) => c.userEmail },
          { header: 'Redirect URI', cell: (c) => <Uri value={c.redirectUri} /> },
          { header: 'Scopes', className: 'scopes-cell', cell: (c) => <ScopeList scopes={c.grantedScopes} /> },
          { header: 'Created', cell: (c) => formatTime(c.createdAt) },
          { header: 'Last used', cell: (c) => formatTime(c.lastUsedAt) },
          {
            header: 'Ended',
            cell: (c) => (
              <>
                <span className="badge denied">Ended</span> {c.reasonText}
                <br />
                <span className="muted small">{formatTime(c.endedAt)}</span>
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
