import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';
import { useState } from 'react';
import { clientSourceText, parseClientSource } from '../../client-source.ts';
import { AdminTable } from '../admin-table.tsx';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { DETAIL_LABELS } from '../detail-labels.ts';
import { formatTime } from '../format.ts';
import type { Attempt } from '../types.ts';
import { ScopeList, Uri } from '../ui.tsx';
import { useConsoleData } from '../use-console-data.ts';

// The reasons an attempt can have, for the filter (codes from the auth service's audit trail).
const REASONS: [string, string][] = [
  ['', 'Any reason'],
  ['approved', 'Approved'],
  ['redirect_uri_not_allowed', AUTHORIZATION_MESSAGES.redirect_uri_not_allowed],
  ['client_id_not_allowed', AUTHORIZATION_MESSAGES.client_id_not_allowed],
  ['scopes_not_allowed', AUTHORIZATION_MESSAGES.scopes_not_allowed],
  ['mcp_disabled', 'MCP disabled'],
  ['policy_inactive', 'Policy inactive'],
  ['policy_empty', 'Policy has no scope'],
  ['access_denied', 'Consent denied'],
  ['token_exchange_failed', 'Token exchange failed'],
  ['unknown_client', 'Unknown client'],
  ['redirect_uri_not_registered', 'redirect_uri not registered for the client'],
  ['invalid_request', 'Malformed request'],
  ['settings_changed', 'Settings changed (admin)'],
  ['connection_revoked', 'Connection revoked (admin)'],
  ['client_revoked', 'Client revoked (admin)'],
];

/** Every authorization attempt (and admin change), newest first, filterable, refreshed every 3 s. */
export function AttemptsPage() {
  const { workspace } = useConsole();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [clientId, setClientId] = useState('');
  const [kind, setKind] = useState<'' | 'authorization' | 'admin'>('');
  const query = new URLSearchParams({ limit: '100' });
  if (outcome) query.set('outcome', outcome);
  if (reason) query.set('reason', reason);
  if (clientId.trim()) query.set('clientId', clientId.trim());
  const polled = useConsoleData<{ attempts: Attempt[] }>(`/attempts?${query}`, 3_000);
  const attempts = polled.data?.attempts.filter((a) => kind === '' || a.kind === kind);

  return (
    <section aria-labelledby="attempts-title">
      <h1 id="attempts-title">Authorization attempts</h1>
      <p className="lead">
        Every attempt to authorize against {workspace.name}, with its outcome and reason: when no active connection
        appears, the reason is here.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">Any outcome</option>
            <option value="allowed">Allowed</option>
            <option value="denied">Denied</option>
          </select>
        </label>
        <label>
          Reason
          <select value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASONS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="">Attempts and admin changes</option>
            <option value="authorization">Authorization attempts only</option>
            <option value="admin">Admin changes only</option>
          </select>
        </label>
        <label>
          Client ID
          <input value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="exact client_id" />
        </label>
      </form>
      <DataStates
        items={attempts}
        error={polled.error}
        what="authorization attempts"
        failed="Could not load the attempts"
        empty={
          <>
            No attempt matches. An attempt is recorded as soon as a client reaches the authorization step for this
            workspace.
          </>
        }
      >
        {(rows) => (
          <AdminTable
            label="Authorization attempts"
            rows={rows}
            rowKey={(a) => a.id}
            rowProps={(a) => ({ 'data-outcome': a.outcome })}
            columns={[
              { header: 'Time', className: 'nowrap', cell: (a) => formatTime(a.at) },
              { header: 'Client', className: 'client-cell', cell: (a) => <AttemptClient attempt={a} /> },
              {
                header: 'Redirect URI',
                cell: (a) => (a.redirectUri ? <Uri value={a.redirectUri} /> : <span className="muted">—</span>),
              },
              { header: 'Requested scopes', cell: (a) => <ScopeList scopes={a.requestedScopes} /> },
              { header: 'Outcome', cell: (a) => <Outcome attempt={a} /> },
              {
                header: 'Reason',
                className: 'reason-cell',
                cell: (a) => (
                  <>
                    <span className="reason">{a.message}</span>
                    <Details details={a.details} />
                  </>
                ),
              },
            ]}
          />
        )}
      </DataStates>
    </section>
  );
}

/** The client's name, and its ID when that says more (a metadata document's URL wraps only after a slash). */
function AttemptClient({ attempt: a }: { attempt: Attempt }) {
  return (
    <>
      {a.clientName && (
        <strong>
          <bdi>{a.clientName}</bdi>
        </strong>
      )}
      {a.clientId && a.clientId !== a.clientName && (
        <>
          <br />
          {URL.canParse(a.clientId) ? <Uri value={a.clientId} /> : <code className="small">{a.clientId}</code>}
        </>
      )}
      {!a.clientId && <span className="muted">—</span>}
    </>
  );
}

function Outcome({ attempt: a }: { attempt: Attempt }) {
  return (
    <>
      <span className={`badge ${a.kind === 'admin' ? 'admin' : a.outcome}`}>
        {a.kind === 'admin' ? 'admin change' : a.outcome}
      </span>
      {a.unauthenticated && (
        <div
          className="muted small"
          title="Nobody had signed in: anyone could have sent this request naming this client"
        >
          before sign-in, unauthenticated
        </div>
      )}
    </>
  );
}

const SCOPE_DETAILS = new Set(['scopes', 'offending', 'ceiling', 'policyScopes']);

function Details({ details }: { details: Record<string, unknown> | null }) {
  const entries = Object.entries(details ?? {}).filter(([name]) => !['before', 'after'].includes(name));
  const changes = settingsChanges(details);
  if (entries.length === 0 && changes.length === 0) return null;
  return (
    <dl className="details">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{DETAIL_LABELS[name] ?? name}</dt>
          <dd>
            {SCOPE_DETAILS.has(name) && Array.isArray(value) ? (
              <ScopeList scopes={value.map(String)} />
            ) : name === 'hint' || name === 'description' ? (
              String(value)
            ) : name === 'clientSource' ? (
              <SourceText value={value} />
            ) : (
              <code>
                {Array.isArray(value)
                  ? value.join(' ') || '(none)'
                  : typeof value === 'object' && value !== null
                    ? JSON.stringify(value)
                    : String(value)}
              </code>
            )}
          </dd>
        </div>
      ))}
      {changes.map(([name, before, after]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <code>{before}</code> → <code>{after}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Where a metadata-document client's metadata came from at that attempt; unverified is a warning. */
function SourceText({ value }: { value: unknown }) {
  const source = parseClientSource(value);
  if (source === undefined) return <code>{String(value)}</code>;
  const { text, warning } = clientSourceText(source);
  return <span className={warning ? 'source-warning' : undefined}>{text}</span>;
}

const SETTING_NAMES: Record<string, string> = {
  enabled: 'MCP enabled',
  allowedRedirectUris: 'Allowed redirect URIs',
  allowedClientIds: 'Allowed OAuth client IDs',
  policyScopes: 'MCP policy scopes',
  policyActive: 'Policy active',
};

/** What a settings change changed: [setting, before, after] for each field that differs. */
function settingsChanges(details: Record<string, unknown> | null): [string, string, string][] {
  const after = details?.after as Record<string, unknown> | undefined;
  if (after === undefined || after === null) return [];
  const before = (details?.before ?? {}) as Record<string, unknown>;
  const show = (v: unknown) => (Array.isArray(v) ? v.join(' ') || '(none)' : v === undefined ? '(unset)' : String(v));
  return Object.keys(after)
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => [SETTING_NAMES[key] ?? key, show(before[key]), show(after[key])]);
}
