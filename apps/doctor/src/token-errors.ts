// Step "token-errors" of `--conformance`: malformed token requests get OAuth JSON errors (RFC 6749
// §5.2: status 400, or 401 for a failed client authentication; a JSON object whose `error` is one of
// the registered codes). HTML, a framework's own error object or a 5xx is what clients cannot read.
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { OAUTH_TOKEN_ERRORS } from './conformance-rules.ts';
import { describe, isObject, networkError, probe } from './http.ts';

interface TokenProbe {
  what: string;
  contentType: string;
  body: string;
  /** Narrower than any RFC 6749 code, when the request leaves only these. */
  expect?: readonly string[];
}

// A verifier of the length RFC 7636 §4.1 requires (43 characters), for a code that does not exist.
const VERIFIER = 'doctor-'.padEnd(43, 'x');

export const TOKEN_PROBES: readonly TokenProbe[] = [
  {
    what: 'an authorization_code request without code or client',
    contentType: 'application/x-www-form-urlencoded',
    body: 'grant_type=authorization_code',
  },
  {
    what: 'a code that was never issued, for an unknown client',
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'doctor-never-issued',
      client_id: 'doctor-unknown-client',
      redirect_uri: CLAUDE_CODE_REDIRECT_URI,
      code_verifier: VERIFIER,
    }).toString(),
    expect: ['invalid_client', 'invalid_grant'],
  },
  {
    what: 'an unknown grant type',
    contentType: 'application/x-www-form-urlencoded',
    body: 'grant_type=urn%3Aexample%3Adoctor-unknown-grant',
  },
  // RFC 6749 §3.2: the token request is form-encoded; clients that send JSON must be told in OAuth terms.
  {
    what: 'a JSON body instead of a form',
    contentType: 'application/json',
    body: JSON.stringify({ grant_type: 'authorization_code' }),
  },
];

/** One line per probe ("… → 400 invalid_request"), and the problems among them. */
export async function probeTokenErrors(tokenEndpoint: string): Promise<{ lines: string[]; problems: string[] }> {
  const lines: string[] = [];
  const problems: string[] = [];
  for (const p of TOKEN_PROBES) {
    let answer: Awaited<ReturnType<typeof probe>>;
    try {
      answer = await probe(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': p.contentType, accept: 'application/json' },
        body: p.body,
      });
    } catch (error) {
      problems.push(`${p.what}: ${networkError(error)}`);
      continue;
    }
    const code = isObject(answer.json) && typeof answer.json.error === 'string' ? answer.json.error : undefined;
    const allowed = p.expect ?? OAUTH_TOKEN_ERRORS;
    if (answer.status !== 400 && answer.status !== 401)
      problems.push(`${p.what} answered ${describe(answer)}, not 400 (or 401) with an OAuth error`);
    else if (!answer.contentType.includes('application/json'))
      problems.push(`${p.what} answered Content-Type ${answer.contentType || '(none)'}, not application/json`);
    else if (code === undefined || !allowed.includes(code))
      problems.push(`${p.what} answered error ${JSON.stringify(code)}, not one of ${allowed.join(', ')}`);
    lines.push(`${p.what} → ${answer.status} ${code ?? describe(answer)}`);
  }
  return { lines, problems };
}
