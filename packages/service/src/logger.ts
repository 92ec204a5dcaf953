import type { StackConfig } from '@enginy/config/load';
import type { FastifyServerOptions } from 'fastify';

// Query parameters that may carry a secret; their values never reach a log line.
const SECRET_PARAMS = [
  'access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'token',
  'api_key',
];

export function maskUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of SECRET_PARAMS) if (params.has(name)) params.set(name, '***');
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

/** Pino options for a service: pretty in development, JSON otherwise, with secrets kept out. */
export function loggerOptions(config: StackConfig, service: string): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    base: { service },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '***',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: maskUrl(req.url),
        ip: req.ip,
      }),
    },
    ...(config.logPretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true },
          },
        }
      : {}),
  };
}
