import { isIPv6 } from 'node:net';
import { hextets } from './oauth/clients/address-policy.ts';

/**
 * The caller a per-address limit counts: `request.ip` (the forwarded address when a trusted proxy
 * relayed the request, see app.ts), an IPv4-mapped IPv6 address as plain IPv4, and a whole IPv6 /64
 * as one caller, since a single host is routinely given a /64 and can pick any address in it.
 */
export function sourceAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const address = ip.split('%')[0] ?? ip;
  return `${hextets(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
