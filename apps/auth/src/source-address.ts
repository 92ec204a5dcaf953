import { isIPv6 } from 'node:net';

/**
 * The caller a per-address limit counts: `request.ip` (the forwarded address when a trusted proxy
 * relayed the request, see app.ts), an IPv4-mapped IPv6 address as plain IPv4, and a whole IPv6 /64
 * as one caller, since a single host is routinely given a /64 and can pick any address in it.
 */
export function sourceAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('%')[0]?.split('::') ?? [];
  const groups = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const missing = tail === undefined ? 0 : 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
