// How a client's self-chosen name may be shown. Pure: the server stores it so, the browser shows it so.

// Unicode bidirectional formatting characters (UAX #9 §2: embeddings, overrides, isolates, marks) and
// other invisible format characters. A name carrying U+202E (RIGHT-TO-LEFT OVERRIDE) showed reversed
// on the consent page and reversed the heading's own words after it (CVE-2021-42574, "Trojan
// Source"). Whitespace controls become spaces; NUL is left for the caller to refuse (400).
const FORMAT_CONTROLS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;
const MAX_LENGTH = 200;

/**
 * A client name as stored and shown: bidi and other format characters removed, whitespace collapsed,
 * at most 200 characters; `fallback` when nothing is left.
 */
export function cleanClientName(name: unknown, fallback: string): string {
  if (typeof name !== 'string') return fallback;
  const cleaned = name
    .replace(/\s+/g, ' ')
    .replace(FORMAT_CONTROLS, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, MAX_LENGTH);
  return cleaned === '' ? fallback : cleaned;
}
