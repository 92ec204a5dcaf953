import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { type FormEvent, useState } from 'react';
import { CimdClients } from '../cimd-clients.tsx';
import { ClientNameField } from '../client-name-field.tsx';
import { useConsole } from '../console-context.tsx';
import { errorText, formatTime } from '../format.ts';
import { SecretOnce } from '../secret-once.tsx';
import type { CreatedClient, PreregisteredClient, RotatedSecret } from '../types.ts';
import { Empty, InlineError, Loading } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

type Shown = { title: string; clientId: string; clientSecret: string };

/**
 * Pre-registered (confidential) OAuth clients: create with a secret shown once, rotate, delete; and
 * the client ID metadata document clients seen in the workspace, with where their metadata came from.
 */
export function ClientsPage() {
  const { read, write, workspace, isAdmin } = useConsole();
  const polled = usePoll(
    async () => (await read<{ clients: PreregisteredClient[] }>('/clients')).clients,
    `clients:${workspace.id}`,
  );
  const [shown, setShown] = useState<Shown | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');

  const act = async (doing: string, done: string, action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setStatus(doing);
    try {
      await action();
      setStatus(done);
      await polled.reload();
    } catch (e) {
      setStatus('');
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const redirectUris = String(data.get('redirectUris') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    void act('Creating…', 'Client created', async () => {
      const created = await write<CreatedClient>('POST', '/clients', {
        name: data.get('name'),
        redirectUris,
        tokenEndpointAuthMethod: data.get('method'),
      });
      setShown({
        title: `Client secret for ${created.name}`,
        clientId: created.clientId,
        clientSecret: created.clientSecret,
      });
      form.reset();
      setNewName('');
    });
  };

  const rotate = (c: PreregisteredClient) => {
    if (!window.confirm(`Rotate the secret of ${c.name}? The old secret stops working at once.`)) return;
    void act('Rotating…', `New secret for ${c.name}`, async () => {
      const rotated = await write<RotatedSecret>('POST', `/clients/${encodeURIComponent(c.id)}/rotate-secret`);
      setShown({
        title: `New client secret for ${c.name}`,
        clientId: rotated.clientId,
        clientSecret: rotated.clientSecret,
      });
    });
  };

  const remove = (c: PreregisteredClient) => {
    if (!window.confirm(`Delete ${c.name}? Its connections end at once and it becomes an unknown client.`)) return;
    void act('Deleting…', `${c.name} deleted; its connections ended`, async () => {
      await write('DELETE', `/clients/${encodeURIComponent(c.id)}`);
      setShown(undefined);
    });
  };

  const clients = polled.data;
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">OAuth clients</h1>
      <p className="lead">
        The OAuth clients of {workspace.name}: the ones its admins pre-registered, and the clients that identify
        themselves with a client ID metadata document. Clients that register dynamically need nothing here.
      </p>
      <h2 id="preregistered-heading">Pre-registered clients</h2>
      <p className="muted">
        Confidential clients for tools that cannot register themselves:{' '}
        <code>claude mcp add … --client-id … --client-secret …</code>.
      </p>
      {shown && (
        <SecretOnce
          title={shown.title}
          rows={[
            ['Client ID', shown.clientId],
            ['Client secret', shown.clientSecret],
          ]}
          onDone={() => setShown(undefined)}
        />
      )}
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
      {polled.error && <InlineError message={`Could not load the clients: ${polled.error}`} />}
      {clients === undefined ? (
        !polled.error && <Loading what="clients" />
      ) : clients.length === 0 ? (
        <Empty>No pre-registered client yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Pre-registered clients">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Redirect URIs</th>
                <th scope="col">Authentication</th>
                <th scope="col">Created</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>
                      <bdi>{c.name}</bdi>
                    </strong>
                  </td>
                  <td>
                    <code className="small">{c.id}</code>
                  </td>
                  <td>
                    {c.redirectUris.map((u) => (
                      <code key={u} className="small block">
                        {u}
                      </code>
                    ))}
                  </td>
                  <td>
                    <code className="small">{c.tokenEndpointAuthMethod}</code>
                  </td>
                  <td className="nowrap">{formatTime(c.createdAt)}</td>
                  {isAdmin && (
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="secondary small"
                          disabled={busy}
                          aria-label={`Rotate secret of ${c.name}`}
                          onClick={() => rotate(c)}
                        >
                          Rotate secret
                        </button>
                        <button
                          type="button"
                          className="danger small"
                          disabled={busy}
                          aria-label={`Delete ${c.name}`}
                          onClick={() => remove(c)}
                        >
                          Delete
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
      {isAdmin && (
        <form onSubmit={create} className="card-inline stack" aria-labelledby="new-client-heading">
          <h2 id="new-client-heading">New pre-registered client</h2>
          <ClientNameField value={newName} onChange={setNewName} />
          <label>
            Redirect URIs (one per line)
            <textarea name="redirectUris" required rows={2} defaultValue={CLAUDE_CODE_REDIRECT_URI} />
          </label>
          <label>
            Token endpoint authentication
            <select name="method" defaultValue="client_secret_post">
              <option value="client_secret_post">client_secret_post</option>
              <option value="client_secret_basic">client_secret_basic</option>
            </select>
          </label>
          <div>
            <button type="submit" disabled={busy}>
              Create client
            </button>
          </div>
        </form>
      )}
      <CimdClients />
    </section>
  );
}
