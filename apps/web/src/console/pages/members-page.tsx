import { decideMemberRemoval } from '@enginy/policy/member-removal';
import { useState } from 'react';
import { Link } from '../../router.tsx';
import { useConsole } from '../console-context.tsx';
import { errorText, formatTime } from '../format.ts';
import type { Member, RemovedMember } from '../types.ts';
import { Empty, InlineError, Loading } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

const connectionsText = (n: number) => (n === 1 ? '1 active connection' : `${n} active connections`);

/**
 * The workspace's members with their role and live connections; an admin removes one after a
 * confirmation that names them and says their connections end. Removal is decided by
 * packages/policy here too, so the last admin's button is disabled with the server's own reason.
 */
export function MembersPage() {
  const { read, write, workspace, isAdmin, session } = useConsole();
  const polled = usePoll(
    async () => (await read<{ members: Member[] }>('/members')).members,
    `members:${workspace.id}`,
    5_000,
  );
  const [confirming, setConfirming] = useState<Member | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();

  const members = polled.data;
  const adminCount = members?.filter((m) => m.role === 'admin').length ?? 0;
  // The session names the user by email; the member list gives their id.
  const me = members?.find((m) => m.email.toLowerCase() === session.user.email.toLowerCase());
  const actor = { userId: me?.userId ?? '', role: workspace.role };
  const decide = (m: Member) => decideMemberRemoval({ actor, target: m, adminCount, workspaceName: workspace.name });

  // A member sees why there is no Remove button: the policy's own refusal (it asks the role first).
  const refusal = decideMemberRemoval({ actor, target: me, adminCount, workspaceName: workspace.name });
  const readOnlyReason = refusal.allowed ? '' : refusal.message;

  const remove = async (m: Member) => {
    setConfirming(undefined);
    setError(undefined);
    setStatus(`Removing ${m.email}…`);
    try {
      const removed = await write<RemovedMember>('DELETE', `/members/${encodeURIComponent(m.userId)}`);
      setStatus(
        `Removed ${removed.email} from ${workspace.name}: ${connectionsText(removed.endedConnections).replace('active ', '')} ended.`,
      );
      // Having removed yourself, this workspace is no longer yours to see: start the console again.
      if (m.userId === me?.userId) window.location.assign('/console/connect');
      else await polled.reload();
    } catch (e) {
      setStatus('');
      setError(`${m.email} was not removed: ${errorText(e)}`);
    }
  };

  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">Members</h1>
      <p className="lead">
        Everyone in {workspace.name} and how many MCP connections each has here. Removing a member ends their
        connections in this workspace at once; they show as ended on the{' '}
        <Link to="/console/connections">connections</Link> page.
      </p>
      {!isAdmin && (
        <p className="notice" role="note" data-testid="members-read-only">
          Read-only: {readOnlyReason}.
        </p>
      )}
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
      {polled.error && <InlineError message={`Could not load the members: ${polled.error}`} />}
      {confirming !== undefined && (
        <div role="alertdialog" aria-labelledby="confirm-remove-title" className="notice confirm">
          <p id="confirm-remove-title">
            <strong>
              Remove {confirming.name} ({confirming.email}) from {workspace.name}?
            </strong>
          </p>
          <p>
            {confirming.activeConnections === 0
              ? `They have no active connection in ${workspace.name}; any they make later is refused.`
              : `Their ${connectionsText(confirming.activeConnections)} in ${workspace.name} ${confirming.activeConnections === 1 ? 'ends' : 'end'} at once: every MCP client they connected here must authorize again, and can only if they are added back.`}{' '}
            Their account, their other workspaces and the audit history stay as they are.
          </p>
          <div className="row-actions">
            <button type="button" className="danger small" onClick={() => void remove(confirming)}>
              Remove {confirming.email}
            </button>
            <button type="button" className="secondary small" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {members === undefined ? (
        !polled.error && <Loading what="members" />
      ) : members.length === 0 ? (
        <Empty>No members.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Active connections</th>
                <th scope="col">Member since</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const decision = decide(m);
                return (
                  <tr key={m.userId} data-testid={`member-${m.email}`}>
                    <td>
                      <bdi>{m.name}</bdi>
                      {m.userId === me?.userId && <span className="muted"> (you)</span>}
                    </td>
                    <td>{m.email}</td>
                    <td>
                      <span className="badge admin">{m.role}</span>
                    </td>
                    <td data-testid="active-connections">{m.activeConnections}</td>
                    <td>{formatTime(m.joinedAt)}</td>
                    {isAdmin && (
                      <td>
                        <button
                          type="button"
                          className="danger small"
                          aria-label={`Remove ${m.email}`}
                          disabled={!decision.allowed}
                          title={decision.allowed ? undefined : decision.message}
                          onClick={() => {
                            setStatus('');
                            setError(undefined);
                            setConfirming(m);
                          }}
                        >
                          Remove
                        </button>
                        {!decision.allowed && <p className="muted small">{decision.message}</p>}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
