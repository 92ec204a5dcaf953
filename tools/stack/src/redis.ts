// The shared rate-limit store of the scale topology: Debian's redis-server on a loopback port,
// nothing persisted (counters of the last minute are not worth keeping past the stack).
import { connect } from 'node:net';
import { findExecutable } from './executables.ts';
import type { ProcessSpec } from './process-group.ts';

export function redisSpec(dir: string, port: number): ProcessSpec {
  return {
    name: 'redis',
    cwd: dir,
    command: findExecutable('redis-server', 'apt-get install redis-server'),
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    env: {},
    ready: (timeoutMs, died) => waitForPong(port, timeoutMs, died),
  };
}

async function waitForPong(port: number, timeoutMs: number, died: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void died.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error('exited before it was ready');
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`did not answer PING on 127.0.0.1:${port} within ${Math.round(timeoutMs / 1000)} s`);
}

/** One inline PING; true on +PONG (a loading server answers -LOADING instead). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}
