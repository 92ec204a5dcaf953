// A reverse proxy on 127.0.0.1 in front of the OpenAPI service that adds `Authorization: Bearer …`
// (the conformance CLI sends no custom headers). It is the stack's public address, as a deployment's
// proxy is: Host, Origin and everything else pass unchanged, so the suite's DNS rebinding scenario
// meets the server's own Host/Origin check.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

export async function startBearerProxy(options: { port: number; target: string; token: string }): Promise<BearerProxy> {
  const target = new URL(options.target);
  const server = createServer((incoming, outgoing) => {
    const upstream = forward(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${options.token}` },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`bearer proxy: ${error.message}`);
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
