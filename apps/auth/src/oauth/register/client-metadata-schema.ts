import { Type } from 'typebox';
import { InvalidRedirectUri } from '../../errors/classes.ts';

/**
 * RFC 7591 §2: the registration request is the client's metadata, a JSON object. Each field's kind is
 * packages/policy's rule (client-metadata.ts, shared with the web app), checked by check-redirect-uris
 * and check-metadata in the order RFC 7591 §3.2.2's errors are answered; "the authorization server
 * MUST ignore any client metadata sent by the client that it does not understand", so any field passes here.
 */
export const ClientMetadata = Type.Record(Type.String(), Type.Unknown());

/** A body that is no JSON object (an array, a string, null) holds no redirect_uris: RFC 7591 §3.2.2 invalid_redirect_uri. */
export const registrationBodyError = () => new InvalidRedirectUri('redirect_uris must list at least one URI');
