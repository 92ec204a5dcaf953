import { describe, expect, it } from 'vitest';
import { cleanClientName } from '../src/client-name.ts';

describe('cleanClientName', () => {
  it.each([
    ['a plain name', 'Claude Code', 'Claude Code'],
    ['right-to-left override (U+202E)', 'Safe App\u202Egnp.exe', 'Safe Appgnp.exe'],
    ['left-to-right and right-to-left embeddings', '\u202AEvil\u202B Corp\u202C', 'Evil Corp'],
    ['isolates (U+2066–U+2069)', '\u2067Admin\u2069 Tool', 'Admin Tool'],
    ['marks and the Arabic letter mark', 'A\u200Eb\u200Fc\u061Cd', 'Abcd'],
    ['zero-width characters', 'Cl\u200Baude\u2060 Code\uFEFF', 'Claude Code'],
    ['newlines and tabs', 'Line\none\tend', 'Line one end'],
    ['a right-to-left script itself stays', 'עברית', 'עברית'],
    ['nothing left', '\u202E\u202C', 'fallback'],
    ['not text', 42, 'fallback'],
    ['too long', 'x'.repeat(300), 'x'.repeat(200)],
  ])('%s', (_case, name, expected) => {
    expect(cleanClientName(name, 'fallback')).toBe(expected);
  });
});
