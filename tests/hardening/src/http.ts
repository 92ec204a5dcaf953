import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The same answer as a fetch Response, for helpers written against fetch. */
  response(): Response;
}

let next = 0;

/**
 * A loopback source address for the next request (127.0.0.2 … 127.0.0.254, round robin). The
 * services limit some routes per client address; spreading generated traffic over many addresses
 * lets a property run reach the code behind the limit instead of a 429 after the first hundred inputs.
 */
export function nextLoopbackAddress(): string {
  next = (next % 253) + 1;
  return `127.0.0.${next + 1}`;
}

/**
 * One HTTP request with node:http: the body and headers go out exactly as given (fetch would
 * normalise some), from `localAddress`. Resolves once the whole answer has arrived.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    localAddress?: string;
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      {
        host: target.hostname === 'localhost' ? '127.0.0.1' : target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        localAddress: options.localAddress ?? nextLoopbackAddress(),
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const headers = response.headers;
          // One entry per value: Set-Cookie comes as a list.
          const pairs = Object.entries(headers).flatMap(([name, value]) =>
            value === undefined ? [] : [value].flat().map((one): [string, string] => [name, one]),
          );
          resolve({
            status,
            headers,
            text,
            response: () => new Response(status === 204 || status === 304 ? null : text, { status, headers: pairs }),
          });
        });
        response.on('error', reject);
        // A server that refuses a body early (413) closes the connection while the body is still
        // being sent: what it answered is the answer.
        response.on('aborted', () => response.emit('end'));
      },
    );
    request.on('timeout', () =>
      request.destroy(
        new Error(`${options.method ?? 'GET'} ${url}: no answer within ${options.timeoutMs ?? 15_000} ms`),
      ),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Writing the rest of a refused body fails (EPIPE) once the answer is already in.
      if (answered && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) return;
      reject(error);
    });
    request.end(options.body);
  });
}
