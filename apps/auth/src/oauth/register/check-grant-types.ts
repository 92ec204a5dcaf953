import { InvalidClientMetadata } from '../../errors.ts';
import { stringList } from './string-list.ts';

/**
 * RFC 7591 §2: grant_types (default authorization_code) and response_types (default code) must agree;
 * only the authorization code flow with refresh is served.
 */
export function checkGrantTypes(metadata: Record<string, unknown>): { grantTypes: string[]; responseTypes: string[] } {
  const grantTypes = stringList(metadata.grant_types, 'grant_types', ['authorization_code', 'refresh_token']);
  if (
    !grantTypes.includes('authorization_code') ||
    grantTypes.some((grantType) => grantType !== 'authorization_code' && grantType !== 'refresh_token')
  ) {
    throw new InvalidClientMetadata('grant_types must be authorization_code, optionally with refresh_token');
  }
  const responseTypes = stringList(metadata.response_types, 'response_types', ['code']);
  if (responseTypes.some((responseType) => responseType !== 'code'))
    throw new InvalidClientMetadata('response_types must be ["code"]');
  return { grantTypes, responseTypes };
}
