import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request on a new connection from `from` (a 127.0.0.0/8 address): the auth server limits
 * registration, /authorize and sign-in per client address, so each simulated client gets its own,
 * as separate machines would have.
 */
export function send(
  url: string,
  options: { from: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        localAddress: options.from,
        agent: false,
        headers: {
          host: target.host,
          ...options.headers,
          ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

let counter = 0;

/** The next loopback source address of a pool of ~62,000 (127.10.0.1 onwards), used in turn. */
export function nextLoopbackAddress(): string {
  const n = counter++ % (250 * 250);
  return `127.10.${Math.floor(n / 250) + 1}.${(n % 250) + 1}`;
}
