// What a presentation of an authorization code that was already redeemed may do: revoke the grant it
// issued, or nothing at all.

export interface SpentCodePresentation {
  /** The client of the token request is the one the code was issued to. */
  issuedToThisClient: boolean;
  /** That client proved itself with its secret (a confidential client); a public one only names itself. */
  clientAuthenticated: boolean;
  /** code_verifier matches the code's code_challenge (RFC 7636 §4.6). */
  verifierMatches: boolean;
}

/** `revoke`: refuse and revoke what the code issued; otherwise refuse and change nothing, saying why. */
export type SpentCodeVerdict = 'revoke' | 'another_client' | 'wrong_verifier';

/**
 * RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST
 * deny the request and SHOULD revoke (when possible) all tokens previously issued based on that code."
 * Denied always; revoked only when the replay comes from the code's owner. Otherwise anyone who saw a
 * spent code (in a log, a browser history, a referrer) could end its owner's connection.
 */
export function spentCodeVerdict(presentation: SpentCodePresentation): SpentCodeVerdict {
  // RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential
  // client, or if the client is public, ensure that the code was issued to "client_id" in the request".
  if (!presentation.issuedToThisClient) return 'another_client';
  // RFC 9700 §2.1.1: "Public clients MUST use PKCE" and "If a client sends a valid PKCE code_challenge
  // parameter in the authorization request, the authorization server MUST enforce the correct usage of
  // code_verifier at the token endpoint." A public client_id is no secret: only the verifier shows the
  // caller is the one that started the flow. A confidential client has proved itself with its secret.
  if (!presentation.clientAuthenticated && !presentation.verifierMatches) return 'wrong_verifier';
  return 'revoke';
}
