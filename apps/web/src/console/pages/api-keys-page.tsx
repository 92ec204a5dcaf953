import { MAX_NAME_LENGTH } from '@enginy/contracts/limits';
import { type FormEvent, useState } from 'react';
import { useConsole } from '../console-context.tsx';
import { errorText, formatTime } from '../format.ts';
import { ScopePicker } from '../scope-picker.tsx';
import { SecretOnce } from '../secret-once.tsx';
import type { ApiKey, CreatedApiKey } from '../types.ts';
import { Empty, InlineError, Loading, ScopeList } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

/** API keys for the REST API (`x-api-key`): create with scopes (shown once), revoke, last used. */
export function ApiKeysPage() {
  const { read, write, workspace, isAdmin } = useConsole();
  const polled = usePoll(
    async () => (await read<{ apiKeys: ApiKey[] }>('/api-keys')).apiKeys,
    `api-keys:${workspace.id}`,
    5_000,
  );
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [shown, setShown] = useState<{ name: string; key: string } | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (doing: string, action: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setStatus(doing);
    try {
      setStatus(await action());
      await polled.reload();
    } catch (e) {
      setStatus('');
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    if (scopes.length === 0) {
      setError('Choose at least one scope: a key without scopes is denied everything.');
      return;
    }
    void run('Creating…', async () => {
      const created = await write<CreatedApiKey>('POST', '/api-keys', { name, scopes });
      setShown({ name: created.name, key: created.key });
      setName('');
      setScopes([]);
      return `API key ${created.name} created`;
    });
  };

  const revoke = (k: ApiKey) => {
    if (!window.confirm(`Revoke ${k.name}? Requests with it are refused at once.`)) return;
    void run('Revoking…', async () => {
      await write('POST', `/api-keys/${k.id}/revoke`);
      return `API key ${k.name} revoked`;
    });
  };

  const keys = polled.data;
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
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
      {polled.error && <InlineError message={`Could not load the API keys: ${polled.error}`} />}
      {keys === undefined ? (
        !polled.error && <Loading what="API keys" />
      ) : keys.length === 0 ? (
        <Empty>No API key yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    <strong>{k.name}</strong>
                    {k.createdBy && <div className="muted small">by {k.createdBy}</div>}
                  </td>
                  <td>
                    <code className="small">{k.prefix}…</code>
                  </td>
                  <td>
                    <ScopeList scopes={k.scopes} />
                  </td>
                  <td className="nowrap">{formatTime(k.createdAt)}</td>
                  <td className="nowrap">{formatTime(k.lastUsedAt)}</td>
                  {isAdmin && (
                    <td>
                      <button
                        type="button"
                        className="danger small"
                        disabled={busy}
                        aria-label={`Revoke ${k.name}`}
                        onClick={() => revoke(k)}
                      >
                        Revoke
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
            <button type="submit" disabled={busy}>
              Create API key
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
