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

/** Drives `url` with autocannon; with `keys`, each request carries the next key as x-api-key. */
export async function measure(options: { label: string; url: string; duration: number; connections: number; keys?: string[] }): Promise<Measurement> {
  let next = 0;
  const keys = options.keys;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    ...(keys
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.headers = { ...request.headers, 'x-api-key': keys[next++ % keys.length] as string };
                return request;
              },
            },
          ],
        }
      : {}),
  });
  return {
    label: options.label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
