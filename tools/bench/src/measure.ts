import autocannon from 'autocannon';

export interface Measurement {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

export interface Target {
  label: string;
  url: string;
  duration: number;
  connections: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Headers for each request in turn, e.g. the next API key or bearer token of a pool. */
  credentials?: Record<string, string>[];
}

/** Drives `url` with autocannon; with `credentials`, each request carries the next set in turn. */
export async function measure(target: Target): Promise<Measurement> {
  let next = 0;
  const { credentials } = target;
  const result = await autocannon({
    url: target.url,
    connections: target.connections,
    duration: target.duration,
    method: target.method ?? 'GET',
    ...(target.body !== undefined ? { body: target.body } : {}),
    headers: target.headers ?? {},
    ...(credentials
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.headers = { ...request.headers, ...credentials[next++ % credentials.length] };
                return request;
              },
            },
          ],
        }
      : {}),
  });
  return {
    label: target.label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
