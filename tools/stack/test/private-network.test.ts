import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { inPrivateNetwork, privateNetworkAvailable } from '../src/private-network.ts';

/** Runs `node -e script` in a private network; what it printed, and its exit code. */
function inside(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(...inPrivateNetwork(process.execPath, ['-e', script]), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

// The second lane of `pnpm test:all` runs agent files there; this machine and CI's can make one.
describe.runIf(privateNetworkAvailable())('a private network (the second test lane’s)', () => {
  it('has its own loopback: a port taken out here is free in there, and out here is out of reach', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const { code, output } = await inside(`
        const net = require('node:net');
        const server = net.createServer().listen(${port}, '127.0.0.1', () => {
          console.log('bound ${port}');
          const probe = net.connect(${port}, '127.0.0.1', () => { console.log('reached its own'); probe.end(); server.close(); });
        });`);
      expect(output.trim().split('\n')).toEqual([`bound ${port}`, 'reached its own']);
      expect(code).toBe(0);
      const reached = await inside(`
        require('node:net').connect(${port}, '127.0.0.1')
          .on('connect', () => console.log('reached the outside'))
          .on('error', (error) => console.log(error.code));`);
      expect(reached.output.trim()).toBe('ECONNREFUSED');
    } finally {
      taken.close();
    }
  });
});
