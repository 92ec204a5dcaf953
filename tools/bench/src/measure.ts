import autocannon from 'autocannon';

export interface Measurement {
  scenario: string;
  connections: number;
  /** Completed requests (or flows) per second, mean over the run. */
  rate: number;
  unit: 'req/s' | 'flows/s';
  p50: number;
  p99: number;
  total: number;
  /** Non-2xx answers, socket errors, timeouts and 2xx answers that carry an error (e.g. a tool error). */
  errors: number;
  /** CPU time the serving processes spent per request (or flow), in µs: steadier than the rate on a shared machine. */
  cpuUs?: number;
}

export interface Target {
  scenario: string;
  url: string;
  duration: number;
  connections: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Headers for each request in turn, e.g. the next API key or bearer token of a pool. */
  credentials?: Record<string, string>[];
  /** A fresh body for each request (e.g. the next refresh token of a pool). */
  nextBody?: () => string;
  /**
   * Inspects every answer; returns false for a 2xx that still failed (a JSON-RPC or tool error).
   * Sees non-2xx answers too, so a pool can take back what a request did not use.
   */
  onResponse?: (status: number, body: string) => boolean;
}

/** Drives `url` with autocannon (keep-alive connections, closed loop) and reports its figures. */
export async function measure(target: Target): Promise<Measurement> {
  let next = 0;
  let failedBodies = 0;
  const { credentials, nextBody, onResponse } = target;
  const result = await autocannon({
    url: target.url,
    connections: target.connections,
    duration: target.duration,
    method: target.method ?? 'GET',
    ...(target.body !== undefined ? { body: target.body } : {}),
    headers: target.headers ?? {},
    requests: [
      {
        setupRequest: (request) => {
          if (credentials) request.headers = { ...request.headers, ...credentials[next++ % credentials.length] };
          if (nextBody) request.body = nextBody();
          return request;
        },
        onResponse: (status, body) => {
          if (onResponse && !onResponse(status, body) && status >= 200 && status < 300) failedBodies++;
        },
      },
    ],
  });
  return {
    scenario: target.scenario,
    connections: target.connections,
    rate: result.requests.average,
    unit: 'req/s',
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors: result.non2xx + result.errors + result.timeouts + failedBodies,
  };
}

/**
 * For multi-request flows autocannon cannot express: `connections` workers each run `once` back to
 * back until `duration` seconds have passed; a throw counts as an error.
 */
export async function measureLoop(options: {
  scenario: string;
  connections: number;
  duration: number;
  once: (worker: number) => Promise<void>;
}): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.duration * 1000;
  await Promise.all(
    Array.from({ length: options.connections }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await options.once(worker);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    scenario: options.scenario,
    connections: options.connections,
    rate: latencies.length / elapsed,
    unit: 'flows/s',
    p50: Math.round(at(0.5) * 10) / 10,
    p99: Math.round(at(0.99) * 10) / 10,
    total: latencies.length + errors,
    errors,
  };
}
