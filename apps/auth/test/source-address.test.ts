import { describe, expect, it } from 'vitest';
import { sourceAddress } from '../src/source-address.ts';

// Pure string handling: the IPv6 cases use the documentation prefix (RFC 3849) and send nothing.
describe('sourceAddress: the caller a per-address limit counts', () => {
  it.each([
    ['IPv4 as is', '127.0.0.9', '127.0.0.9'],
    ['IPv4-mapped IPv6 as its IPv4', '::ffff:127.0.0.9', '127.0.0.9'],
    ['IPv6 loopback: its /64', '::1', '0:0:0:0::/64'],
    [
      'an IPv6 address: its /64, so a host cannot rotate through its own prefix',
      '2001:db8:1:2:aaaa::1',
      '2001:db8:1:2::/64',
    ],
    ['another address in the same /64', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['a shortened prefix', '2001:db8::5', '2001:db8:0:0::/64'],
    ['a zone index', '::1%lo', '0:0:0:0::/64'],
  ])('%s', (_case, ip, expected) => {
    expect(sourceAddress(ip)).toBe(expected);
  });
});
