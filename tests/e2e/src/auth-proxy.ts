// A loopback proxy in front of the authorization server, for the tests that steer the refreshes a real
// agent sends. The stack's auth service listens on `authPort`; the agent knows only the proxy, the
// issuer (`env` sets AUTH_PORT and AUTH_ISSUER for useStack). It passes everything through, and for
// each refresh (`grant_type=refresh_token` at /token) it records a digest of the token presented and
// the status answered, never the token. Two steers:
// - `dropNextAnswer()`: the next refresh reaches the server (so the rotation happens), but its answer
//   never reaches the agent (the connection is cut), as on a network that fails at the wrong moment;
// - `holdRefreshes(n)`: the next refreshes wait here until n of them have come, then go on to the
//   server one after the other, in the order they came, and their answers go back only once the
//   last has been answered. Two sessions that refresh "at the same time" then really overlap,
//   whatever the machine's load: each was sent before any was answered, so each carries what its
//   session read before any rotation, and each session reads its answer only once the server has
//   dealt with all of them. If n never come, the ones held go on after `timeoutMs`, and the result
//   says so.
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
  type ServerResponse,
} from 'node:http';
import { freePort } from '@enginy/stack/ports';

/** How a refresh token is recorded: a short digest, never the token. */
export const refreshDigest = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 12);

export interface RefreshSeen {
  at: number;
  /** A digest of the refresh token presented (the token itself is never kept). */
  token: string;
  status?: number;
  /** Its answer was cut off (dropNextAnswer). */
  dropped?: boolean;
}

export interface HeldRefreshes {
  /** 'together': all n came; 'timeout': fewer came within timeoutMs, and these went on alone. */
  released: 'together' | 'timeout';
  /** The refreshes held, in the order they came; each has its status once answered. */
  held: RefreshSeen[];
}

export interface AuthProxy {
  /** useStack's environment: the auth service on its own port, the proxy as the issuer. */
  env: { AUTH_PORT: string; AUTH_ISSUER: string };
  refreshes: RefreshSeen[];
  dropNextAnswer(): void;
  /** Holds the next `count` refreshes (see above); resolves once every one held has been answered. */
  holdRefreshes(count: number, timeoutMs?: number): Promise<HeldRefreshes>;
  close(): Promise<void>;
}

interface Hold {
  count: number;
  held: RefreshSeen[];
  /** Each held refresh's answer from the server, in turn. */
  answered: Promise<Answer>[];
  /** Once `count` have come, or at the timeout: then they go on to the server. */
  released: Signal;
  /** Once every one held has been answered: then the answers go back. */
  settled: Signal;
}

interface Signal {
  promise: Promise<void>;
  fire: () => void;
}

function signal(): Signal {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startAuthProxy(): Promise<AuthProxy> {
  const authPort = await freePort();
  const refreshes: RefreshSeen[] = [];
  let dropNext = false;
  let hold: Hold | undefined;

  /** The server's whole answer to a request, read here before any of it goes back. */
  const answerOf = (request: IncomingMessage, body: Buffer, seen?: RefreshSeen) =>
    new Promise<Answer>((resolve) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: authPort, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          if (seen) seen.status = answer.statusCode;
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () =>
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      upstream.on('error', () => resolve({ status: 502, headers: {}, body: Buffer.alloc(0) }));
      upstream.end(body);
    });
  const send = (response: ServerResponse, { status, headers, body }: Answer) => {
    response.writeHead(status, headers);
    response.end(body);
  };
  /** Passed on at once; a refresh's answer is cut off instead when dropNextAnswer() asked. */
  const forward = async (request: IncomingMessage, response: ServerResponse, body: Buffer, seen?: RefreshSeen) => {
    const answer = await answerOf(request, body, seen);
    if (seen === undefined || !dropNext) return send(response, answer);
    // The rotation happened at the server; its answer never reaches the agent.
    dropNext = false;
    seen.dropped = true;
    request.socket.destroy();
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(request.url === '/token' ? body.toString() : '');
      if (form.get('grant_type') !== 'refresh_token') return void forward(request, response, body);
      const seen: RefreshSeen = {
        at: Date.now(),
        token: refreshDigest(form.get('refresh_token') ?? ''),
      };
      refreshes.push(seen);
      const current = hold;
      if (current === undefined) return void forward(request, response, body, seen);
      // Held: goes on once the one before it has been answered, and not before all `count` came; its
      // answer goes back once every one held has been answered.
      const before = current.answered.at(-1);
      current.held.push(seen);
      const answer = Promise.all([before, current.released.promise]).then(() => answerOf(request, body, seen));
      current.answered.push(answer);
      void Promise.all([answer, current.settled.promise]).then(([answered]) => send(response, answered));
      if (current.held.length === current.count) current.released.fire();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    env: { AUTH_PORT: String(authPort), AUTH_ISSUER: `http://localhost:${port}` },
    refreshes,
    dropNextAnswer: () => {
      dropNext = true;
    },
    holdRefreshes: async (count, timeoutMs = 30_000) => {
      const current: Hold = { count, held: [], answered: [], released: signal(), settled: signal() };
      hold = current;
      let together = true;
      const timer = setTimeout(() => {
        together = false;
        current.released.fire();
      }, timeoutMs);
      await current.released.promise;
      clearTimeout(timer);
      hold = undefined;
      await Promise.all(current.answered);
      current.settled.fire();
      return { released: together ? 'together' : 'timeout', held: current.held };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
