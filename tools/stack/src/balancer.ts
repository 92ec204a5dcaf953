// The load balancer of the scale topology: Debian's nginx as an unprivileged foreground process,
// its configuration, pid and temp files in one directory of its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from './executables.ts';
import { httpReady, type ProcessSpec } from './process-group.ts';
import { REPO_ROOT } from './processes.ts';

const PROXY_CONF = join(REPO_ROOT, 'deploy/nginx/proxy.conf');

export interface Upstream {
  /** nginx's name for the group, e.g. `openapi`. */
  name: string;
  /** Where clients reach it: the stack's normal port for the service. */
  listenPort: number;
  /** The replicas' loopback ports. */
  replicaPorts: number[];
}

/**
 * The configuration: one server per service on the stack's normal port (127.0.0.1, and ::1 when
 * the machine has it, as `localhost` resolves to either), round robin over its replicas. How a
 * request is passed on (headers, streaming, which failures go to the other replica) is
 * deploy/nginx/proxy.conf, the file compose's balancer includes too.
 */
export function nginxConfig(dir: string, upstreams: readonly Upstream[], ipv6: boolean): string {
  const lines = [
    '# Generated for this run; see tools/stack/src/balancer.ts.',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${join(dir, `${kind}-temp`)};`,
    ),
    // Every caller is on loopback, the stack's own proxies (Vite, the OAuth aliases) among them:
    // the address is appended, and the services walk the chain back to the first they do not trust.
    '  map $remote_addr $forwarded_for { default $proxy_add_x_forwarded_for; }',
    ...upstreams.flatMap((upstream) => [
      `  upstream ${upstream.name} {`,
      // One failure takes a replica out for 2 s: a killed one stops costing a connect attempt per request.
      ...upstream.replicaPorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`),
      '    keepalive 32;',
      '    keepalive_timeout 60s;',
      '  }',
      '  server {',
      `    listen 127.0.0.1:${upstream.listenPort};`,
      ...(ipv6 ? [`    listen [::1]:${upstream.listenPort};`] : []),
      `    location / { proxy_pass http://${upstream.name}; include ${PROXY_CONF}; }`,
      '  }',
    ]),
    '}',
    '',
  ];
  return lines.join('\n');
}

/** nginx in the foreground, ready once every service answers /readyz through it. */
export function balancerSpec(dir: string, upstreams: readonly Upstream[], ipv6: boolean): ProcessSpec {
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, nginxConfig(dir, upstreams, ipv6));
  const readyChecks = upstreams.map((upstream) => httpReady(`http://127.0.0.1:${upstream.listenPort}/readyz`));
  return {
    name: 'nginx',
    cwd: dir,
    command: findExecutable('nginx', 'apt-get install nginx'),
    // -e: errors to stderr from the very start (before the config is read, nginx would open its
    // compiled-in /var/log/nginx/error.log).
    args: ['-p', dir, '-c', file, '-e', 'stderr', '-g', 'daemon off;'],
    env: {},
    ready: async (timeoutMs, died) => {
      await Promise.all(readyChecks.map((ready) => ready(timeoutMs, died)));
    },
  };
}
