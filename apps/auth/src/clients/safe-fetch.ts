import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Addresses a fetched URL may never reach (SSRF): private, loopback, link-local, CGNAT, multicast…
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface SafeFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Local tests only: let the request reach loopback addresses. */
  allowLoopback: boolean;
}

export class FetchRefused extends Error {}

/**
 * GET a small JSON document without following redirects, with a size and time limit, refusing
 * private and loopback addresses at connect time (the check runs in the socket's DNS lookup, so a
 * name that resolves differently the second time cannot slip through).
 */
export function safeFetchJson(url: URL, options: SafeFetchOptions): Promise<unknown> {
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((a) => isPublicAddress(a.address) || (options.allowLoopback && (a.address === '127.0.0.1' || a.address === '::1')));
      const first = usable[0];
      if (first === undefined) return callback(new FetchRefused(`${hostname} resolves to a private or loopback address`), '', 0);
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      return callback(null, first.address, first.family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    // The socket `timeout` only catches idleness; this bounds the whole fetch (a slow drip included).
    const deadline = setTimeout(() => fail(new FetchRefused(`took longer than ${options.timeoutMs} ms`)), options.timeoutMs);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      reject(error);
    };
    const request = client.get(url, { lookup, timeout: options.timeoutMs, headers: { accept: 'application/json' } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return fail(new FetchRefused(`answered HTTP ${response.statusCode}`));
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
    });
    request.on('timeout', () => fail(new FetchRefused(`took longer than ${options.timeoutMs} ms`)));
    request.on('error', fail);
  });
}
