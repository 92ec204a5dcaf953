import { recogniseClient } from '@enginy/config/known-clients';
import { clientSourceText } from '../client-source.ts';
import { AdminTable } from './admin-table.tsx';
import { useConsole } from './console-context.tsx';
import { DataStates } from './data-states.tsx';
import { ago, formatTime } from './format.ts';
import type { CimdClient } from './types.ts';
import { Uri } from './ui.tsx';
import { useConsoleData } from './use-console-data.ts';

/**
 * The client ID metadata document clients seen in this workspace: their client ID is the URL of a
 * document the auth service reads, so there is nothing to register. Shown with where their metadata
 * came from and how old it is, refreshed every 5 s.
 */
export function CimdClients() {
  const { workspace } = useConsole();
  const polled = useConsoleData<{ clients: CimdClient[] }>('/cimd-clients', 5_000);
  return (
    <section aria-labelledby="cimd-heading">
      <h2 id="cimd-heading">Client metadata document clients</h2>
      <p className="muted">
        Clients whose client ID is the https URL of their metadata document, with an authorization attempt or a
        connection in {workspace.name}. The auth service reads the document; when the client's host cannot be reached it
        uses a cached or bundled copy.
      </p>
      <DataStates
        items={polled.data?.clients}
        error={polled.error}
        what="metadata document clients"
        failed="Could not load the metadata document clients"
        empty={<>No metadata document client has tried {workspace.name} yet.</>}
      >
        {(clients) => (
          <AdminTable
            label="Client metadata document clients"
            rows={clients}
            rowKey={(c) => c.id}
            columns={[
              { header: 'Name', cell: (c) => <ClientName client={c} /> },
              { header: 'Client ID (document URL)', cell: (c) => <Uri value={c.id} /> },
              {
                header: 'Redirect URIs in the document',
                className: 'uris-cell',
                cell: (c) =>
                  c.redirectUris.length === 0 ? (
                    <span className="muted">none (any loopback URI)</span>
                  ) : (
                    c.redirectUris.map((u) => (
                      <div key={u}>
                        <Uri value={u} />
                      </div>
                    ))
                  ),
              },
              {
                header: 'Metadata',
                cell: (c) => <Source client={c} />,
                props: () => ({ 'data-testid': 'metadata-source' }),
              },
              {
                header: 'Last attempt here',
                className: 'nowrap',
                cell: (c) =>
                  c.lastAttemptAt ? ago(c.lastAttemptAt) : <span className="muted">none (connection only)</span>,
                props: (c) => ({ title: c.lastAttemptAt ? formatTime(c.lastAttemptAt) : undefined }),
              },
              { header: 'Active connections', cell: (c) => c.liveConnections },
            ]}
          />
        )}
      </DataStates>
    </section>
  );
}

/** The client's name, and whether it is one of the tested clients (by its document URL or its name). */
function ClientName({ client }: { client: CimdClient }) {
  const known = recogniseClient(client.id, client.name);
  return (
    <>
      <strong>
        <bdi>{client.name}</bdi>
      </strong>
      {known && (
        <div className="muted small">
          {known.name === client.name ? 'tested client' : `tested client: ${known.name}`}
        </div>
      )}
    </>
  );
}

function Source({ client }: { client: CimdClient }) {
  if (client.metadataSource === null) return <span className="muted">unknown</span>;
  const { text, warning } = clientSourceText({ kind: client.metadataSource, fetchedAt: client.fetchedAt });
  return (
    <>
      <span className={warning ? 'source-warning' : undefined}>{text}</span>
      {client.metadataSource !== 'fetched' && client.checkedAt && (
        <div className="muted small">live document last tried {ago(client.checkedAt)}</div>
      )}
    </>
  );
}
