import { MAX_NAME_LENGTH } from '@enginy/contracts/limits';
import { type FormEvent, useState } from 'react';
import { AdminTable } from '../admin-table.tsx';
import { ConfirmButton } from '../confirm-button.tsx';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { formatTime } from '../format.ts';
import { ScopePicker } from '../scope-picker.tsx';
import { SecretOnce } from '../secret-once.tsx';
import type { ApiKey, CreatedApiKey } from '../types.ts';
import { ScopeList } from '../ui.tsx';
import { useAction } from '../use-action.tsx';
import { useConsoleData } from '../use-console-data.ts';

/** API keys for the REST API (`x-api-key`): create with scopes (shown once), revoke, last used. */
export function ApiKeysPage() {
  const { write, workspace, isAdmin } = useConsole();
  const polled = useConsoleData<{ apiKeys: ApiKey[] }>('/api-keys', 5_000);
  const action = useAction();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [shown, setShown] = useState<{ name: string; key: string } | undefined>();

  const create = (event: FormEvent) => {
    event.preventDefault();
    if (scopes.length === 0) {
      action.fail('Choose at least one scope: a key without scopes is denied everything.');
      return;
    }
    void action.run(
      'Creating…',
      async () => {
        const created = await write<CreatedApiKey>('POST', '/api-keys', { name, scopes });
        setShown({ name: created.name, key: created.key });
        setName('');
        setScopes([]);
        return `API key ${created.name} created`;
      },
      { after: polled.reload },
    );
  };

  const revoke = (k: ApiKey) =>
    void action.run(
      'Revoking…',
      async () => {
        await write('POST', `/api-keys/${k.id}/revoke`);
        return `API key ${k.name} revoked`;
      },
      { after: polled.reload },
    );

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <p className="lead">
        Keys for Enginy's REST API (header <code>x-api-key</code>) in {workspace.name}. MCP clients do not use keys:
        they connect with OAuth.
      </p>
      {shown && (
        <SecretOnce
          title={`API key ${shown.name}`}
          rows={[['API key', shown.key]]}
          onDone={() => setShown(undefined)}
        />
      )}
      {action.report}
      <DataStates
        items={polled.data?.apiKeys}
        error={polled.error}
        what="API keys"
        failed="Could not load the API keys"
        empty="No API key yet."
      >
        {(keys) => (
          <AdminTable
            label="API keys"
            rows={keys}
            rowKey={(k) => k.id}
            columns={[
              {
                header: 'Name',
                cell: (k) => (
                  <>
                    <strong>{k.name}</strong>
                    {k.createdBy && <div className="muted small">by {k.createdBy}</div>}
                  </>
                ),
              },
              { header: 'Key', cell: (k) => <code className="small">{k.prefix}…</code> },
              { header: 'Scopes', cell: (k) => <ScopeList scopes={k.scopes} /> },
              { header: 'Created', className: 'nowrap', cell: (k) => formatTime(k.createdAt) },
              { header: 'Last used', className: 'nowrap', cell: (k) => formatTime(k.lastUsedAt) },
            ]}
            actions={
              isAdmin
                ? (k) => (
                    <ConfirmButton
                      question={`Revoke ${k.name}? Requests with it are refused at once.`}
                      onConfirm={() => revoke(k)}
                      disabled={action.busy}
                      aria-label={`Revoke ${k.name}`}
                    >
                      Revoke
                    </ConfirmButton>
                  )
                : undefined
            }
          />
        )}
      </DataStates>
      {isAdmin && (
        <form onSubmit={create} className="card-inline stack" aria-labelledby="new-key-heading">
          <h2 id="new-key-heading">New API key</h2>
          <label>
            Key name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={MAX_NAME_LENGTH}
              placeholder="Reporting script"
            />
          </label>
          <ScopePicker legend="Key scopes" value={scopes} onChange={setScopes} />
          <div>
            <button type="submit" disabled={action.busy}>
              Create API key
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
