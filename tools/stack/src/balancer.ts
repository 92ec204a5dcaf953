// The load balancer of the scale topology: Debian's nginx as an unprivileged foreground process,
// its configuration, pid and temp files in one directory of its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from './executables.ts';
import { httpReady, type ProcessSpec } from './process-group.ts';

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
 * the machine has it, as `localhost` resolves to either), round robin over its replicas.
 *
 * Retries (`proxy_next_upstream error timeout`, nginx's default, written out): a request that
 * could not be delivered (connection refused, a replica killed) goes to the next replica, whatever
 * its method; one that was delivered is retried only if idempotent (GET, HEAD, …: nginx never
 * re-sends a POST unless told `non_idempotent`, and is not told, because a tools/call or a REST
 * write may not be safe to do twice). Those answer 502 when their replica dies mid-request, and the
 * client decides. A replica's own 5xx is its answer, never retried: a 503 while PostgreSQL is down
 * would be the other replica's answer too, and counting it as a failure would take both out of
 * rotation and turn the apps' clear 503 with Retry-After into nginx's bare 502.
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
    // The apps set their own body limits (and answer 413 themselves); this is only a ceiling.
    '  client_max_body_size 8m;',
    // Keep-alive to the replicas (HTTP/1.1, no Connection header passed on), closed by nginx
    // before Node's own 72 s keep-alive timeout, so a request never races a replica's close.
    '  proxy_http_version 1.1;',
    '  proxy_set_header Connection "";',
    '  proxy_set_header Host $http_host;',
    // Appended, so the apps walk the chain back to the first address they do not trust (the caller).
    '  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    // Streamed as the replica writes it (MCP answers may be an event stream).
    '  proxy_buffering off;',
    '  proxy_connect_timeout 1s;',
    '  proxy_next_upstream error timeout;',
    '  proxy_next_upstream_tries 2;',
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
      `    location / { proxy_pass http://${upstream.name}; }`,
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
