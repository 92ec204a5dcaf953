import { BlockList, isIP } from 'node:net';

// The one address policy for fetches the authorization server makes on a client's behalf (client ID
// metadata documents), applied alike to names (after DNS) and to IP literals in the URL, in every
// notation: the WHATWG URL parser already turns 2130706434, 0x7f.0.0.2 and 0177.0.0.2 into
// 127.0.0.2, and IPv6 forms that carry an IPv4 address are judged as that address.
// draft-ietf-oauth-client-id-metadata-document §6 (SSRF): "the authorization server SHOULD NOT
// fetch documents from … private or loopback addresses".
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible block (::a.b.c.d).
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  // Teredo tunnels to an address nobody can check here.
  ['2001::', 32],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** IPv6 prefixes that embed an IPv4 address, and where it sits (hextet index of its first half). */
const EMBEDDING: { net: BlockList; at: number }[] = [
  { net: subnet('::ffff:0:0', 96), at: 6 }, // IPv4-mapped
  { net: subnet('64:ff9b::', 96), at: 6 }, // NAT64
  { net: subnet('2002::', 16), at: 1 }, // 6to4
];

function subnet(net: string, prefix: number): BlockList {
  const list = new BlockList();
  list.addSubnet(net, prefix, 'ipv6');
  return list;
}

/** The eight hextets of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
export function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((part) => Number.parseInt(part, 16));
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const embedding = EMBEDDING.find(({ net }) => net.check(address, 'ipv6'));
  if (embedding === undefined) return undefined;
  const parts = hextets(address);
  const high = parts[embedding.at] ?? 0;
  const low = parts[embedding.at + 1] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** An address a metadata fetch may connect to: public unicast, never private, loopback or link-local. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  const carried = embeddedIpv4(address);
  if (carried !== undefined) return isPublicAddress(carried);
  return !BLOCKED.check(address, 'ipv6');
}

/** The loopback addresses a local test may let through (CIMD_ALLOW_HTTP_LOCALHOST). */
export function isTestLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1';
}

/** The IP literal a URL's host is, without IPv6 brackets; undefined for a name. */
export function ipLiteralOf(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}
