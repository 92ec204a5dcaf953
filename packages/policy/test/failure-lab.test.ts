import type { LabSwitch } from '@enginy/config/failure-lab';
import { describe, expect, it } from 'vitest';
import {
  clientForgottenByLab,
  clientKnownAtIssuer,
  issuedHere,
  issuerAt,
  labScenariosInForce,
  labSwitchInForce,
  MOVED_ISSUER_PATH,
} from '../src/failure-lab.ts';

const global: LabSwitch = { scenario: 'expire-access', workspaceId: null, options: { seconds: 30 } };
const acme: LabSwitch = { scenario: 'expire-access', workspaceId: 'acme-id', options: { seconds: 5 } };
const other: LabSwitch = { scenario: 'refresh-no-grace', workspaceId: 'globex-id', options: {} };

describe('labSwitchInForce: which switch applies to a request', () => {
  it.each([
    ['nothing when nothing is on', [], 'acme-id', undefined],
    ['a global switch for any workspace', [global], 'acme-id', global],
    ['a global switch for a request naming no workspace', [global], undefined, global],
    ["the workspace's own switch before the global one", [global, acme], 'acme-id', acme],
    ['the global one for another workspace', [global, acme], 'globex-id', global],
    ['never a workspace switch for another workspace', [acme], 'globex-id', undefined],
    ['never a workspace switch for a request naming none', [acme], undefined, undefined],
    ['never another scenario', [other], 'globex-id', undefined],
  ] as const)('%s', (_case, switches, workspaceId, expected) => {
    expect(labSwitchInForce(switches, 'expire-access', workspaceId)).toEqual(expected);
  });

  it('labScenariosInForce lists the global switches and the workspace’s own, no other', () => {
    expect(labScenariosInForce([global, acme, other], 'acme-id')).toEqual([global, acme]);
  });
});

describe('clientForgottenByLab: which clients forget-client forgets', () => {
  const at = new Date('2026-12-06T03:00:00Z');
  const on = [{ scenario: 'forget-client', workspaceId: null, switchedOnAt: at, options: {} }];
  const before = new Date(at.getTime() - 1000);
  const after = new Date(at.getTime() + 1000);
  it.each([
    ['a dynamic client registered before', on, 'dynamic', before, true],
    ['a dynamic client registered in the same instant', on, 'dynamic', at, true],
    ['a dynamic client registered since (registering again works)', on, 'dynamic', after, false],
    ['never a metadata-document client', on, 'cimd', before, false],
    ['never a pre-registered client', on, 'preregistered', before, false],
    ['nothing while the scenario is off', [], 'dynamic', before, false],
  ] as const)('%s', (_case, switches, kind, createdAt, expected) => {
    expect(clientForgottenByLab(switches, { kind, createdAt })).toBe(expected);
  });
});

describe('issuer-moved: credentials are bound to their issuer (SEP-2352)', () => {
  it('a registered client is known only where it registered; a metadata-document client everywhere', () => {
    expect(clientKnownAtIssuer({ kind: 'dynamic', issuerPath: null }, null)).toBe(true);
    expect(clientKnownAtIssuer({ kind: 'dynamic', issuerPath: null }, MOVED_ISSUER_PATH)).toBe(false);
    expect(clientKnownAtIssuer({ kind: 'dynamic', issuerPath: MOVED_ISSUER_PATH }, null)).toBe(false);
    expect(clientKnownAtIssuer({ kind: 'dynamic', issuerPath: MOVED_ISSUER_PATH }, MOVED_ISSUER_PATH)).toBe(true);
    expect(clientKnownAtIssuer({ kind: 'preregistered', issuerPath: null }, MOVED_ISSUER_PATH)).toBe(false);
    expect(clientKnownAtIssuer({ kind: 'cimd', issuerPath: null }, MOVED_ISSUER_PATH)).toBe(true);
  });

  it('a code or grant is honoured only by the issuer that issued it', () => {
    expect(issuedHere(null, null)).toBe(true);
    expect(issuedHere(null, MOVED_ISSUER_PATH)).toBe(false);
    expect(issuedHere(MOVED_ISSUER_PATH, null)).toBe(false);
    expect(issuedHere(MOVED_ISSUER_PATH, MOVED_ISSUER_PATH)).toBe(true);
  });

  it('the moved issuer is the issuer URL plus its path', () => {
    expect(issuerAt('http://localhost:3002', null)).toBe('http://localhost:3002');
    expect(issuerAt('http://localhost:3002', MOVED_ISSUER_PATH)).toBe('http://localhost:3002/v2');
  });
});
