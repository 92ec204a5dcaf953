import { formatTime } from '../format.ts';
import type { EndedConnection } from '../types.ts';
import { ScopeList, Uri } from '../ui.tsx';

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
      <div className="table-wrap">
        <table aria-label="Recently ended connections">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">User</th>
              <th scope="col">Redirect URI</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {ended.map((c) => (
              <tr key={c.grantId} data-testid="ended-connection">
                <td className="client-cell">
                  <strong>
                    <bdi>{c.clientName}</bdi>
                  </strong>
                  <br />
                  <code className="small">{c.clientId}</code>
                </td>
                <td>{c.userEmail}</td>
                <td>
                  <Uri value={c.redirectUri} />
                </td>
                <td className="scopes-cell">
                  <ScopeList scopes={c.grantedScopes} />
                </td>
                <td>{formatTime(c.createdAt)}</td>
                <td>{formatTime(c.lastUsedAt)}</td>
                <td>
                  <span className="badge denied">Ended</span> {c.reasonText}
                  <br />
                  <span className="muted small">{formatTime(c.endedAt)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
