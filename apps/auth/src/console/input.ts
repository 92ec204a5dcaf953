// Console input checks: each failure is a 422 naming the field (with its index) and the value.
import { isScope, SCOPE_LIST } from '@enginy/policy/scopes';
import { ValidationFailed } from '../errors.ts';

export type Body = Record<string, unknown>;

export function body(raw: unknown): Body {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationFailed('body', null, 'expected a JSON object');
  return raw as Body;
}

export function bool(b: Body, field: string): boolean {
  if (typeof b[field] !== 'boolean') throw new ValidationFailed(field, b[field], 'must be true or false');
  return b[field];
}

export function text(b: Body, field: string, max = 200): string {
  const value = b[field];
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationFailed(field, value, 'is required');
  if (value.length > max) throw new ValidationFailed(field, value, `must be at most ${max} characters`);
  return value.trim();
}

/** A list of distinct strings (duplicates dropped, order kept), each checked by `check` (a reason or undefined). */
export function list(b: Body, field: string, max: number, check: (value: string) => string | undefined): string[] {
  const value = b[field];
  if (!Array.isArray(value)) throw new ValidationFailed(field, value, 'must be an array');
  const seen = new Set<string>();
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw new ValidationFailed(`${field}[${i}]`, item, 'must be a string');
    const problem = item.length > 2048 ? 'must be at most 2048 characters' : check(item);
    if (problem !== undefined) throw new ValidationFailed(`${field}[${i}]`, item, problem);
    seen.add(item);
  });
  if (seen.size > max) throw new ValidationFailed(field, value.length, `at most ${max} entries`);
  return [...seen];
}

export function scopeList(b: Body, field: string): string[] {
  return list(b, field, SCOPE_LIST.length, (s) => (isScope(s) ? undefined : `unknown scope; scopes are ${SCOPE_LIST.join(', ')}`));
}
