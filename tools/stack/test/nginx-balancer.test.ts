// The scale profile's balancer config (deploy/nginx/compose.conf and proxy.conf), run by Debian's nginx
// on loopback: the compose service names and ports become 127.0.0.1 and free ports, and each
// service's two replicas are two small HTTP servers that answer with the headers they were given.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX_COMPOSE_CONF } from '../src/compose-scale.ts';
import { freePort } from '../src/ports.ts';
import { REPO_ROOT } from '../src/processes.ts';

const nginxPresent = spawnSync('nginx', ['-v']).status === 0;
// CI installs Debian's nginx (.ci/run); a laptop without it skips.
const describeWithNginx = nginxPresent || process.env.CI ? describe : describe.skip;

interface Replica {
  name: string;
  server: Server;
  port: number;
  seen: { forwardedFor?: string; host?: string; method?: string }[];
}

let dir: string;
let nginx: ChildProcess;
let openapiPort: number;
const replicas: Replica[] = [];

describeWithNginx("the scale profile's nginx config", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'enginy-nginx-'));
    for (const name of ['openapi-a', 'openapi-b']) replicas.push(await startReplica(name));
    openapiPort = await freePort();
    const authPort = await freePort();
    const conf = readFileSync(join(REPO_ROOT, NGINX_COMPOSE_CONF), 'utf8')
      // Debian's nginx (1.22) predates `resolve` on an upstream server; the addresses here are fixed.
      .replace(
        /server openapi-replica:3001 resolve (.*);/,
        replicas.map((replica) => `server 127.0.0.1:${replica.port} $1;`).join('\n    '),
      )
      .replace(/server auth-replica:3002 resolve/, `server 127.0.0.1:${await freePort()}`)
      .replace('listen 3101;', `listen 127.0.0.1:${openapiPort};`)
      .replace('listen 3102;', `listen 127.0.0.1:${authPort};`)
      .replaceAll('/etc/nginx/enginy-proxy.conf', join(REPO_ROOT, 'deploy/nginx/proxy.conf'))
      .replace('worker_processes auto;', `worker_processes 1;\npid ${join(dir, 'nginx.pid')};`)
      .replace('access_log /var/log/nginx/access.log;', 'access_log off;');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const test = spawnSync('nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], {
      encoding: 'utf8',
    });
    if (test.status !== 0) throw new Error(`nginx -t: ${test.stderr}`);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    for (let tries = 0; tries < 50; tries++) {
      if (
        await fetch(`http://127.0.0.1:${openapiPort}/`).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await Promise.all(replicas.map((replica) => new Promise((resolve) => replica.server.close(resolve))));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('spreads requests over both replicas, passing the Host the client used', async () => {
    clear();
    for (let i = 0; i < 4; i++) await fetch(`http://127.0.0.1:${openapiPort}/readyz`);
    for (const replica of replicas) {
      expect(replica.seen.length, replica.name).toBe(2);
      expect(replica.seen[0]?.host).toBe(`127.0.0.1:${openapiPort}`);
    }
  });

  it("replaces a client's X-Forwarded-For with its address (only the stack's own containers may set it)", async () => {
    clear();
    await fetch(`http://127.0.0.1:${openapiPort}/token`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(replicas.flatMap((replica) => replica.seen).map((seen) => seen.forwardedFor)).toEqual(['127.0.0.1']);
  });

  it('sends every request, a POST too, to the other replica when one is down', async () => {
    const [down, up] = replicas as [Replica, Replica];
    await new Promise((resolve) => down.server.close(resolve));
    clear();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const method = i % 2 === 0 ? 'GET' : 'POST';
      statuses.push(
        (await fetch(`http://127.0.0.1:${openapiPort}/mcp`, { method, body: method === 'POST' ? '{}' : null })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(up.seen.map((seen) => seen.method)).toEqual(['GET', 'POST', 'GET', 'POST', 'GET', 'POST']);
  });
});

function clear(): void {
  for (const replica of replicas) replica.seen.length = 0;
}

async function startReplica(name: string): Promise<Replica> {
  const seen: Replica['seen'] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen.push({
        ...(request.headers['x-forwarded-for'] !== undefined
          ? { forwardedFor: request.headers['x-forwarded-for'] as string }
          : {}),
        ...(request.headers.host !== undefined ? { host: request.headers.host } : {}),
        ...(request.method !== undefined ? { method: request.method } : {}),
      });
      response.end(name);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { name, server, port, seen };
}
