import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ipLiteralOf, isPublicAddress, isTestLoopback } from './address-policy.ts';

export interface SafeFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Local tests only: let the request reach loopback addresses. */
  allowLoopback: boolean;
}

/** The fetch was refused by this server (address policy) or the answer is not a usable document. */
export class FetchRefused extends Error {}
/** The host could not be reached (DNS, connection, TLS, time limit, or it failed with a 5xx). */
export class FetchUnreachable extends Error {}

// Socket and TLS failures: the host is unreachable from here, as opposed to answering something unusable.
const UNREACHABLE_CODES =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/;

function classify(error: Error): Error {
  if (error instanceof FetchRefused || error instanceof FetchUnreachable) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return UNREACHABLE_CODES.test(code) ? new FetchUnreachable(error.message) : new FetchRefused(error.message);
}

/**
 * GET a small JSON document without following redirects, with a size and time limit, refusing
 * private and loopback addresses before connecting: an IP literal is judged at once (Node never
 * calls `lookup` for one), a name in the socket's DNS lookup (so a name that resolves differently
 * the second time cannot slip through). Both go through the one address policy.
 */
export function safeFetchJson(url: URL, options: SafeFetchOptions): Promise<unknown> {
  const allowed = (address: string) => isPublicAddress(address) || (options.allowLoopback && isTestLoopback(address));
  const literal = ipLiteralOf(url);
  if (literal !== undefined && !allowed(literal))
    return Promise.reject(new FetchRefused(`${literal} is a private or loopback address`));
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((candidate) => allowed(candidate.address));
      const first = usable[0];
      if (first === undefined)
        return callback(new FetchRefused(`${hostname} resolves to a private or loopback address`), '', 0);
      if (lookupOptions.all)
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
      return callback(null, first.address, first.family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    // The socket `timeout` only catches idleness; this bounds the whole fetch (a slow drip included).
    const deadline = setTimeout(
      () => fail(new FetchUnreachable(`took longer than ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      reject(classify(error));
    };
    const request = client.get(
      url,
      { lookup, timeout: options.timeoutMs, headers: { accept: 'application/json' } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          const status = response.statusCode ?? 0;
          return fail(
            status >= 500
              ? new FetchUnreachable(`answered HTTP ${status}`)
              : new FetchRefused(`answered HTTP ${status}`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return fail(new FetchRefused(`is larger than ${options.maxBytes} bytes`));
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          try {
            const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            settled = true;
            clearTimeout(deadline);
            resolve(parsed);
          } catch {
            fail(new FetchRefused('is not JSON'));
          }
        });
        response.on('error', fail);
      },
    );
    request.on('timeout', () => fail(new FetchUnreachable(`took longer than ${options.timeoutMs} ms`)));
    request.on('error', fail);
  });
}
