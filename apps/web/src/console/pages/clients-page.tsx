import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { type FormEvent, useState } from 'react';
import { AdminTable } from '../admin-table.tsx';
import { CimdClients } from '../cimd-clients.tsx';
import { ClientNameField } from '../client-name-field.tsx';
import { ConfirmButton } from '../confirm-button.tsx';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { formatTime } from '../format.ts';
import { SecretOnce } from '../secret-once.tsx';
import type { CreatedClient, PreregisteredClient, RotatedSecret } from '../types.ts';
import { useAction } from '../use-action.tsx';
import { useConsoleData } from '../use-console-data.ts';

type Shown = { title: string; clientId: string; clientSecret: string };

/**
 * Pre-registered (confidential) OAuth clients: create with a secret shown once, rotate, delete; and
 * the client ID metadata document clients seen in the workspace, with where their metadata came from.
 */
export function ClientsPage() {
  const { write, workspace, isAdmin } = useConsole();
  const polled = useConsoleData<{ clients: PreregisteredClient[] }>('/clients');
  const action = useAction();
  const [shown, setShown] = useState<Shown | undefined>();
  const [newName, setNewName] = useState('');

  const act = (doing: string, done: string, change: () => Promise<void>) =>
    void action.run(
      doing,
      async () => {
        await change();
        return done;
      },
      { after: polled.reload },
    );

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const redirectUris = String(data.get('redirectUris') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    act('Creating…', 'Client created', async () => {
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

  const rotate = (c: PreregisteredClient) =>
    act('Rotating…', `New secret for ${c.name}`, async () => {
      const rotated = await write<RotatedSecret>('POST', `/clients/${encodeURIComponent(c.id)}/rotate-secret`);
      setShown({
        title: `New client secret for ${c.name}`,
        clientId: rotated.clientId,
        clientSecret: rotated.clientSecret,
      });
    });

  const remove = (c: PreregisteredClient) =>
    act('Deleting…', `${c.name} deleted; its connections ended`, async () => {
      await write('DELETE', `/clients/${encodeURIComponent(c.id)}`);
      setShown(undefined);
    });

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
      {action.report}
      <DataStates
        items={polled.data?.clients}
        error={polled.error}
        what="clients"
        failed="Could not load the clients"
        empty="No pre-registered client yet."
      >
        {(clients) => (
          <AdminTable
            label="Pre-registered clients"
            rows={clients}
            rowKey={(c) => c.id}
            columns={[
              {
                header: 'Name',
                cell: (c) => (
                  <strong>
                    <bdi>{c.name}</bdi>
                  </strong>
                ),
              },
              { header: 'Client ID', cell: (c) => <code className="small">{c.id}</code> },
              {
                header: 'Redirect URIs',
                cell: (c) =>
                  c.redirectUris.map((u) => (
                    <code key={u} className="small block">
                      {u}
                    </code>
                  )),
              },
              { header: 'Authentication', cell: (c) => <code className="small">{c.tokenEndpointAuthMethod}</code> },
              { header: 'Created', className: 'nowrap', cell: (c) => formatTime(c.createdAt) },
            ]}
            actions={
              isAdmin
                ? (c) => (
                    <div className="row-actions">
                      <ConfirmButton
                        question={`Rotate the secret of ${c.name}? The old secret stops working at once.`}
                        onConfirm={() => rotate(c)}
                        className="secondary small"
                        disabled={action.busy}
                        aria-label={`Rotate secret of ${c.name}`}
                      >
                        Rotate secret
                      </ConfirmButton>
                      <ConfirmButton
                        question={`Delete ${c.name}? Its connections end at once and it becomes an unknown client.`}
                        onConfirm={() => remove(c)}
                        disabled={action.busy}
                        aria-label={`Delete ${c.name}`}
                      >
                        Delete
                      </ConfirmButton>
                    </div>
                  )
                : undefined
            }
          />
        )}
      </DataStates>
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
            <button type="submit" disabled={action.busy}>
              Create client
            </button>
          </div>
        </form>
      )}
      <CimdClients />
    </section>
  );
}
