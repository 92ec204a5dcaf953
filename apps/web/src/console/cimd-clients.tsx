import { recogniseClient } from '@enginy/config/known-clients';
import { clientSourceText } from '../client-source.ts';
import { useConsole } from './console-context.tsx';
import { ago, formatTime } from './format.ts';
import type { CimdClient } from './types.ts';
import { Empty, InlineError, Loading, Uri } from './ui.tsx';
import { usePoll } from './use-poll.ts';

/**
 * The client ID metadata document clients seen in this workspace: their client ID is the URL of a
 * document the auth service reads, so there is nothing to register. Shown with where their metadata
 * came from and how old it is, refreshed every 5 s.
 */
export function CimdClients() {
  const { read, workspace } = useConsole();
  const polled = usePoll(
    async () => (await read<{ clients: CimdClient[] }>('/cimd-clients')).clients,
    `cimd-clients:${workspace.id}`,
    5_000,
  );
  const clients = polled.data;
  return (
    <section aria-labelledby="cimd-heading">
      <h2 id="cimd-heading">Client metadata document clients</h2>
      <p className="muted">
        Clients whose client ID is the https URL of their metadata document, with an authorization attempt or a
        connection in {workspace.name}. The auth service reads the document; when the client's host cannot be reached it
        uses a cached or bundled copy.
      </p>
      {polled.error && <InlineError message={`Could not load the metadata document clients: ${polled.error}`} />}
      {clients === undefined ? (
        !polled.error && <Loading what="metadata document clients" />
      ) : clients.length === 0 ? (
        <Empty>No metadata document client has tried {workspace.name} yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Client metadata document clients">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID (document URL)</th>
                <th scope="col">Redirect URIs in the document</th>
                <th scope="col">Metadata</th>
                <th scope="col">Last attempt here</th>
                <th scope="col">Active connections</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => {
                const known = recogniseClient(c.id, c.name);
                return (
                  <tr key={c.id}>
                    <td>
                      <strong>
                        <bdi>{c.name}</bdi>
                      </strong>
                      {known && (
                        <div className="muted small">
                          {known.name === c.name ? 'tested client' : `tested client: ${known.name}`}
                        </div>
                      )}
                    </td>
                    <td>
                      <Uri value={c.id} />
                    </td>
                    <td className="uris-cell">
                      {c.redirectUris.length === 0 ? (
                        <span className="muted">none (any loopback URI)</span>
                      ) : (
                        c.redirectUris.map((u) => (
                          <div key={u}>
                            <Uri value={u} />
                          </div>
                        ))
                      )}
                    </td>
                    <td data-testid="metadata-source">
                      <Source client={c} />
                    </td>
                    <td className="nowrap" title={c.lastAttemptAt ? formatTime(c.lastAttemptAt) : undefined}>
                      {c.lastAttemptAt ? ago(c.lastAttemptAt) : <span className="muted">none (connection only)</span>}
                    </td>
                    <td>{c.liveConnections}</td>
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
