import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, loopbackAliases } from '../src/origin.ts';

const LOCAL = ['http://localhost:3001', 'http://localhost:5173'];
const HOSTED = ['https://mcp.enginy.ai', 'https://app.enginy.ai'];

describe('isAllowedOrigin', () => {
  it.each([
    ['its own origin', LOCAL, 'http://localhost:3001', true],
    ['its own origin as 127.0.0.1 (same scheme and port)', LOCAL, 'http://127.0.0.1:3001', true],
    ['its own origin as [::1]', LOCAL, 'http://[::1]:3001', true],
    ['another own origin (the web app) as 127.0.0.1', LOCAL, 'http://127.0.0.1:5173', true],
    ['an own origin given as 127.0.0.1, sent as localhost', ['http://127.0.0.1:3001'], 'http://localhost:3001', true],
    ['default ports on both sides', ['http://localhost'], 'http://127.0.0.1', true],
    ['a loopback server on another port (another local app)', LOCAL, 'http://127.0.0.1:3002', false],
    ['a loopback alias with another scheme', LOCAL, 'https://127.0.0.1:3001', false],
    ['another loopback address than the three names', LOCAL, 'http://127.0.0.2:3001', false],
    ['a foreign site (DNS rebinding)', LOCAL, 'http://evil.example', false],
    ['a foreign site on the same port', LOCAL, 'http://evil.example:3001', false],
    ['a name that starts like localhost', LOCAL, 'http://localhost.evil.example:3001', false],
    ['the opaque origin "null" (sandboxed frame, file:)', LOCAL, 'null', false],
    ['not a serialized origin: a path', LOCAL, 'http://localhost:3001/', false],
    ['not a serialized origin: upper case', LOCAL, 'http://LOCALHOST:3001', false],
    ['a hosted server: its own origin', HOSTED, 'https://mcp.enginy.ai', true],
    ['a hosted server: no loopback aliases', HOSTED, 'http://localhost', false],
    ['a hosted server: another subdomain', HOSTED, 'https://evil.enginy.ai', false],
  ])('%s', (_case, own, origin, allowed) => {
    expect(isAllowedOrigin(origin, own)).toBe(allowed);
  });
});

describe('loopbackAliases', () => {
  it('lists the three loopback names with the same scheme and port', () => {
    expect(loopbackAliases('http://127.0.0.1:3001')).toEqual([
      'http://localhost:3001',
      'http://127.0.0.1:3001',
      'http://[::1]:3001',
    ]);
  });
  it('is only the origin itself for a host that is not loopback', () => {
    expect(loopbackAliases('https://mcp.enginy.ai')).toEqual(['https://mcp.enginy.ai']);
  });
});
