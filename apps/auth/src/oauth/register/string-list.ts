import { InvalidClientMetadata } from '../../errors/classes.ts';

/** A client metadata field that is a list of strings (RFC 7591 §2), or `fallback` when absent. */
export function stringList(value: unknown, field: string, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new InvalidClientMetadata(`${field} must be an array of strings`);
  return value;
}
