import { createServer } from 'node:net';

export interface NamedPort {
  port: number;
  variable: string;
}

/** Resolves true when nothing listens on `port` on either loopback address. */
export async function isPortFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::1']) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT'),
      );
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** The ports of `ports` that are taken, each as a message naming the variable that moves it. */
export async function busyPortMessages(ports: readonly NamedPort[]): Promise<string[]> {
  const messages: string[] = [];
  for (const { port, variable } of ports) {
    if (!(await isPortFree(port))) {
      messages.push(
        `Port ${port} (${variable}) is already in use: another Enginy Local stack may be running. Stop it, or set ${variable} to a free port.`,
      );
    }
  }
  return messages;
}

// Ports this process already handed out: the OS may offer a just-released port again, and two
// services of one stack must not be given the same one.
const handedOut = new Set<number>();

/** A free TCP port chosen by the OS, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await osFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether this machine has the IPv6 loopback (`localhost` may resolve to ::1 only if it does). */
export function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port: 0, host: '::1' }, () => server.close(() => resolve(true)));
  });
}
