// How the browser step ended, turned into the failed checklist step with the product's
// troubleshooting entry and the concrete fix.
import { ENTRIES, StepFailure } from './report.ts';

export interface FlowFacts {
  clientId: string;
  redirectUri: string;
  callbackPort: number;
  requestedScopes: string[];
}

const RETRY = 'then run the doctor again (the policy applies at once, no restart).';

/** The web app's or the auth server's error page text (exact strings, see packages/policy). */
export function classifyRefusal(text: string, facts: FlowFacts): StepFailure {
  const fail = (step: ConstructorParameters<typeof StepFailure>[0], entry: ConstructorParameters<typeof StepFailure>[2], fix: string) =>
    new StepFailure(step, `The browser step stopped on: ${text}`, entry, fix);
  if (text.includes('redirect_uri is not allowed')) {
    return fail('redirect-uri', ENTRIES.redirect, `Add ${facts.redirectUri} to "Allowed redirect URIs" in the workspace MCP settings (exact match; Claude Code with --callback-port ${facts.callbackPort} sends this URI), ${RETRY}`);
  }
  if (text.includes('redirect_uri is not registered')) {
    return fail('redirect-uri', ENTRIES.redirect, `The client ${facts.clientId} is not registered for ${facts.redirectUri}: register that redirect URI with the client (loopback ports may vary, host and path may not).`);
  }
  if (text.includes('OAuth client_id is not allowed')) {
    return fail('client-id', ENTRIES.clientId, `Add this exact client ID to "Allowed OAuth client IDs": ${facts.clientId} — or empty the allowlist while you establish the first connection.`);
  }
  if (text.includes('MCP is disabled')) return fail('workspace-policy', ENTRIES.noConnection, `Enable MCP for the workspace (workspace settings → MCP), ${RETRY}`);
  if (text.includes('policy of this workspace is inactive') || text.includes('has no scopes')) {
    return fail('workspace-policy', ENTRIES.noConnection, `Make the policy active with at least one scope in the workspace MCP settings, ${RETRY}`);
  }
  if (text.includes('Requested scopes are not allowed')) return scopeFailure(facts, `The browser step stopped on: ${text}`);
  if (/client/i.test(text)) return fail('client-id', ENTRIES.clientId, `The authorization server does not know client ${facts.clientId}: register it again (dynamic registration) or check --client-id.`);
  return fail('consent', ENTRIES.noConnection, 'Complete the browser flow all the way to the callback; fix what the page says and start again.');
}

function scopeFailure(facts: FlowFacts, detail: string): StepFailure {
  return new StepFailure(
    'scopes',
    detail,
    ENTRIES.scopes,
    `Reduce the requested scopes or expand the policy in Enginy (requested: ${facts.requestedScopes.join(' ') || '(none)'}).`,
  );
}

/** An error the authorization server sent back to the callback (RFC 6749 §4.1.2.1). */
export function classifyCallbackError(error: string, description: string, facts: FlowFacts): StepFailure {
  const detail = `The callback received error=${error}${description ? ` (${description})` : ''}`;
  if (error === 'invalid_scope') return scopeFailure(facts, detail);
  if (error === 'access_denied') {
    return new StepFailure('consent', detail, ENTRIES.noConnection, 'The consent was denied in the browser: the OAuth flow must complete all the way through the browser callback. Start again and choose Approve.');
  }
  return new StepFailure('consent', detail, ENTRIES.noConnection, 'Fix what the error says and start the browser flow again.');
}

/** A failed token exchange, after the consent screen. */
export function classifyTokenError(status: number | undefined, error: string, description: string, tokenEndpoint: string): StepFailure {
  const detail = `POST ${tokenEndpoint} answered ${status === undefined ? 'nothing' : `HTTP ${status}`}: ${error}${description ? ` (${description})` : ''}`;
  if (error === 'html' || error === 'not_json' || status === 404) {
    return new StepFailure('token-exchange', detail, ENTRIES.tokenPath, 'The token request did not reach Enginy\'s token endpoint: you are usually hitting a stale server, a proxy, or the wrong base URL.');
  }
  if (error === 'invalid_client') {
    return new StepFailure('token-exchange', detail, ENTRIES.noConnection, 'The token exchange failed after the consent screen: the client could not authenticate. Check --client-secret and --auth-method against the client\'s registration.');
  }
  return new StepFailure('token-exchange', detail, ENTRIES.noConnection, 'The token exchange failed after the consent screen: start the flow again; if it repeats, check the auth service log.');
}
