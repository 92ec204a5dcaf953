// What an admin may put in a workspace's allowlists (Allowed redirect URIs, Allowed OAuth client IDs).
// Pure: the settings page refuses an entry with the very words the console API answers with.
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';

/** The most entries one allowlist holds (after duplicates are dropped). */
export const MAX_ALLOWLIST_ENTRIES = 50;

const BLANK = 'must not be empty or have surrounding spaces';

/**
 * Why an entry of Allowed redirect URIs is refused, or undefined. Entries are compared byte for byte
 * (RFC 6749 §3.1.2.3 as OAuth 2.1 tightens it to exact matching), so one is kept exactly as typed:
 * an absolute URI, with nothing around it and no fragment (RFC 6749 §3.1.2: "MUST NOT include a
 * fragment component").
 */
export function redirectUriEntryProblem(value: string): string | undefined {
  if (value === '' || value !== value.trim()) return BLANK;
  if (!URL.canParse(value)) return `must be an absolute URI, e.g. ${CLAUDE_CODE_REDIRECT_URI}`;
  if (value.includes('#')) return 'must not contain a fragment (#)';
  return undefined;
}

/** Why an entry of Allowed OAuth client IDs is refused, or undefined: any exact, non-blank string. */
export function clientIdEntryProblem(value: string): string | undefined {
  return value === '' || value !== value.trim() ? BLANK : undefined;
}
