// `pnpm bench:token`: /token refresh throughput on the real stack. Every request is a genuine
// rotation: each connection takes a live refresh token from a pool and puts back the new one.
import { SEED_IDS } from '@enginy/db/seed';
import { startTestStack } from '@enginy/stack/test-stack';
import autocannon from 'autocannon';
import { registerPublicClient, signInOverHttp, tokensOverHttp } from './http-flow.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REDIRECT_URI = 'http://localhost:3118/callback';

const stack = await startTestStack({ env: { TOKEN_RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'warn' } });
try {
  const { config } = stack;
  const clientId = await registerPublicClient(config, REDIRECT_URI);
  const session = await signInOverHttp(config, { email: 'member@enginy.local', password: 'enginy-dev' });
  const pool: string[] = [];
  for (let i = 0; i < CONNECTIONS * 3; i++) pool.push((await tokensOverHttp(config, session, clientId, REDIRECT_URI, SEED_IDS.acme)).refresh_token);

  let rotated = 0;
  const result = await autocannon({
    url: config.auth.issuer,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (request) => ({
          ...request,
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pool.shift() ?? 'pool-empty', client_id: clientId }).toString(),
        }),
        onResponse: (status, body) => {
          if (status !== 200) return;
          rotated++;
          pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
        },
      },
    ],
  });
  const rows: [string, string | number][] = [
    ['connections', CONNECTIONS],
    ['duration (s)', DURATION_SECONDS],
    ['requests/s (mean)', Math.round(result.requests.average)],
    ['latency p50 (ms)', result.latency.p50],
    ['latency p99 (ms)', result.latency.p99],
    ['2xx', result['2xx']],
    ['non-2xx', result.non2xx],
    ['errors', result.errors],
    ['rotations seen', rotated],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`\n/token refresh_token grant (rotation on every request)\n${rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n')}\n`);
  if (result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
} finally {
  await stack.close();
}
