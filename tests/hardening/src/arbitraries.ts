// Generated inputs: the values an attacker or a broken client sends, biased towards the ones that
// break parsers (NUL, stray %, overlong strings, wrong types, prototype keys).
import fc from 'fast-check';

export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'nul\u0000byte',
  '%00',
  '%',
  '%ZZ',
  '%C0%AF',
  '\r\nset-cookie: x=1',
  '../../../etc/passwd',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '😀🚀 عربى 中文 \u202e',
  '\ud800',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'S256',
  'plain',
  'code',
  'token',
  'authorization_code',
  'refresh_token',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '-1',
  '1e400',
  '9'.repeat(40),
  'x'.repeat(3000),
];

/** A short string from anywhere in Unicode, or a known nasty one. */
export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Any JSON value, prototype-polluting keys included. */
export const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    { __proto__: { polluted: true } },
    { constructor: { prototype: { polluted: true } } },
    [null],
    { $ne: 1 },
    2 ** 53 + 1,
    -0,
    1e308,
  ),
  nastyString,
);

/** `encodeURIComponent` that never throws (a lone surrogate is sent as the raw escape that breaks decoders). */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/**
 * A query string or form body: known parameter names and random ones, values encoded or raw
 * broken escapes, names repeated or in bracket syntax.
 */
export function paramString(names: readonly string[], fixed: Record<string, string> = {}) {
  const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: nastyString });
  const pair = fc.tuple(name, nastyString, fc.constantFrom('plain', 'raw', 'bracket')).map(([key, value, style]) => {
    if (style === 'raw') return `${encode(key)}=${value.replace(/[^\x21-\x7e]/g, '')}`;
    if (style === 'bracket') return `${encode(key)}[]=${encode(value)}`;
    return `${encode(key)}=${encode(value)}`;
  });
  return fc
    .tuple(fc.array(pair, { maxLength: 12 }), fc.subarray(Object.keys(fixed)))
    .map(([pairs, keep]) => [...keep.map((key) => `${key}=${encode(fixed[key] as string)}`), ...pairs].join('&'));
}

export const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=latin1',
  'application/octet-stream',
  '',
  '*/*',
  'application/json, text/plain',
  ';;;',
];

/** A body as sent on the wire: JSON (valid or cut short), a form, or bytes. */
export const rawBody = fc.oneof(
  anyJson.map((value) => JSON.stringify(value) ?? 'null'),
  anyJson.map((value) => (JSON.stringify(value) ?? 'null').slice(0, -1)),
  nastyString,
  fc.constantFrom(
    '{"a":',
    '{"a":1e400}',
    `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`,
    '\u00ff\u00fe{',
    '[',
    ']',
    '{"a":1}{"b":2}',
  ),
);
