import { describe, expect, it } from 'vitest';
import { clientSourceText, parseClientSource } from '../src/client-source.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

describe('clientSourceText', () => {
  const cases: [string, Parameters<typeof clientSourceText>[0], string, boolean][] = [
    [
      'fetched moments ago',
      { kind: 'fetched', fetchedAt: new Date(NOW - 1_000).toISOString() },
      'fetched just now',
      false,
    ],
    ['fetched, no time known (an audit event)', { kind: 'fetched', fetchedAt: null }, 'fetched live', false],
    ['a cached copy says how old it is', { kind: 'cached', fetchedAt: hoursAgo(3) }, 'cached copy from 3 h ago', false],
    [
      'a bundled copy says why',
      { kind: 'bundled', fetchedAt: null },
      "bundled copy (the client's host could not be reached)",
      false,
    ],
    [
      'unverified is a warning',
      { kind: 'unverified', fetchedAt: null },
      'unverified — the document could not be fetched; development only, loopback redirects only',
      true,
    ],
  ];
  for (const [rule, source, text, warning] of cases) {
    it(rule, () => expect(clientSourceText(source, NOW)).toEqual({ text, warning }));
  }
});

describe('parseClientSource', () => {
  const cases: [string, unknown, ReturnType<typeof parseClientSource>][] = [
    ['a kind (audit details)', 'bundled', { kind: 'bundled', fetchedAt: null }],
    [
      'an object (consent API)',
      { kind: 'cached', fetchedAt: '2026-11-27T09:00:00.000Z' },
      { kind: 'cached', fetchedAt: '2026-11-27T09:00:00.000Z' },
    ],
    ['an unknown kind', 'guessed', undefined],
    ['nothing (a registered client)', null, undefined],
  ];
  for (const [rule, value, expected] of cases) {
    it(rule, () => expect(parseClientSource(value)).toEqual(expected));
  }
});
