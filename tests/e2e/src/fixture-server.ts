import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny local HTTP server answering fixed JSON documents by path (client metadata documents, PRM). */
export async function serveJson(
  documents: (baseUrl: string) => Record<string, unknown>,
): Promise<{ url: string; close: () => Promise<void> }> {
  let routes: Record<string, unknown> = {};
  const server: Server = createServer((request, response) => {
    const body = routes[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  routes = documents(url);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
