import { decideMemberRemoval } from '@enginy/policy/member-removal';
import { useState } from 'react';
import { Link } from '../../router.tsx';
import { AdminTable } from '../admin-table.tsx';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { formatTime } from '../format.ts';
import type { Member, RemovedMember } from '../types.ts';
import { useAction } from '../use-action.tsx';
import { useConsoleData } from '../use-console-data.ts';

const connectionsText = (n: number) => (n === 1 ? '1 active connection' : `${n} active connections`);

/**
 * The workspace's members with their role and live connections; an admin removes one after a
 * confirmation that names them and says their connections end. Removal is decided by
 * packages/policy here too, so the last admin's button is disabled with the server's own reason.
 */
export function MembersPage() {
  const { write, workspace, isAdmin, session } = useConsole();
  const polled = useConsoleData<{ members: Member[] }>('/members', 5_000);
  const action = useAction();
  const [confirming, setConfirming] = useState<Member | undefined>();

  const members = polled.data?.members;
  const adminCount = members?.filter((m) => m.role === 'admin').length ?? 0;
  // The session names the user by email; the member list gives their id.
  const me = members?.find((m) => m.email.toLowerCase() === session.user.email.toLowerCase());
  const actor = { userId: me?.userId ?? '', role: workspace.role };
  const decide = (m: Member) => decideMemberRemoval({ actor, target: m, adminCount, workspaceName: workspace.name });

  // A member sees why there is no Remove button: the policy's own refusal (it asks the role first).
  const refusal = decideMemberRemoval({ actor, target: me, adminCount, workspaceName: workspace.name });
  const readOnlyReason = refusal.allowed ? '' : refusal.message;

  const remove = (m: Member) => {
    setConfirming(undefined);
    const self = m.userId === me?.userId;
    void action.run(
      `Removing ${m.email}…`,
      async () => {
        const removed = await write<RemovedMember>('DELETE', `/members/${encodeURIComponent(m.userId)}`);
        // Having removed yourself, this workspace is no longer yours to see: start the console again.
        if (self) window.location.assign('/console/connect');
        return `Removed ${removed.email} from ${workspace.name}: ${connectionsText(removed.endedConnections).replace('active ', '')} ended.`;
      },
      { failed: (reason) => `${m.email} was not removed: ${reason}`, after: self ? undefined : polled.reload },
    );
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
      {action.report}
      <DataStates
        items={members}
        error={polled.error}
        what="members"
        failed="Could not load the members"
        empty="No members."
      >
        {(rows) => (
          <>
            {confirming !== undefined && (
              <ConfirmRemoval
                member={confirming}
                workspaceName={workspace.name}
                onRemove={() => remove(confirming)}
                onCancel={() => setConfirming(undefined)}
              />
            )}
            <AdminTable
              label="Members"
              rows={rows}
              rowKey={(m) => m.userId}
              rowProps={(m) => ({ 'data-testid': `member-${m.email}` })}
              columns={[
                {
                  header: 'Name',
                  cell: (m) => (
                    <>
                      <bdi>{m.name}</bdi>
                      {m.userId === me?.userId && <span className="muted"> (you)</span>}
                    </>
                  ),
                },
                { header: 'Email', cell: (m) => m.email },
                { header: 'Role', cell: (m) => <span className="badge admin">{m.role}</span> },
                {
                  header: 'Active connections',
                  cell: (m) => m.activeConnections,
                  props: () => ({ 'data-testid': 'active-connections' }),
                },
                { header: 'Member since', cell: (m) => formatTime(m.joinedAt) },
              ]}
              actions={
                isAdmin
                  ? (m) => {
                      const decision = decide(m);
                      return (
                        <>
                          <button
                            type="button"
                            className="danger small"
                            aria-label={`Remove ${m.email}`}
                            disabled={!decision.allowed}
                            title={decision.allowed ? undefined : decision.message}
                            onClick={() => {
                              action.clear();
                              setConfirming(m);
                            }}
                          >
                            Remove
                          </button>
                          {!decision.allowed && <p className="muted small">{decision.message}</p>}
                        </>
                      );
                    }
                  : undefined
              }
            />
          </>
        )}
      </DataStates>
    </section>
  );
}

/** The question before a removal: whom, from where, and which of their connections end. */
function ConfirmRemoval({
  member,
  workspaceName,
  onRemove,
  onCancel,
}: {
  member: Member;
  workspaceName: string;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const n = member.activeConnections;
  return (
    <div role="alertdialog" aria-labelledby="confirm-remove-title" className="notice confirm">
      <p id="confirm-remove-title">
        <strong>
          Remove {member.name} ({member.email}) from {workspaceName}?
        </strong>
      </p>
      <p>
        {n === 0
          ? `They have no active connection in ${workspaceName}; any they make later is refused.`
          : `Their ${connectionsText(n)} in ${workspaceName} ${n === 1 ? 'ends' : 'end'} at once: every MCP client they connected here must authorize again, and can only if they are added back.`}{' '}
        Their account, their other workspaces and the audit history stay as they are.
      </p>
      <div className="row-actions">
        <button type="button" className="danger small" onClick={onRemove}>
          Remove {member.email}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
