import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/stack-until-interrupted.ts', import.meta.url));

/** Whether something accepts a connection on 127.0.0.1:`port`. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('a run cut short by Ctrl-C', () => {
  it('leaves nothing listening: the apps and the embedded PostgreSQL of its stack stop with it', async () => {
    // Its stack's PostgreSQL data goes under a directory of this test's, removed at the end.
    const temporary = mkdtempSync(join(tmpdir(), 'enginy-interrupted-'));
    chmodSync(temporary, 0o755); // PostgreSQL runs as another user when the tests run as root
    // Its own process group, as a terminal's foreground job is: Ctrl-C signals the whole group.
    const run = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      detached: true,
      env: { ...process.env, TMPDIR: temporary },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await Promise.race([
        once(createInterface({ input: run.stdout }), 'line'),
        once(run, 'exit').then(([code]) => Promise.reject(new Error(`the run exited (${code})`))),
      ])) as [string];
      const ports = JSON.parse(line) as { openapi: number; postgres: number };
      expect(await listening(ports.openapi)).toBe(true);
      expect(await listening(ports.postgres)).toBe(true);

      process.kill(-(run.pid as number), 'SIGINT');
      await expect
        .poll(async () => ({ openapi: await listening(ports.openapi), postgres: await listening(ports.postgres) }), {
          timeout: 15_000,
          interval: 200,
        })
        .toEqual({ openapi: false, postgres: false });
    } finally {
      if (run.exitCode === null && run.signalCode === null) process.kill(-(run.pid as number), 'SIGKILL');
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
