import type { ReactNode } from 'react';
import { Empty, InlineError, Loading } from './ui.tsx';

/**
 * The states of a console list, the same on every page: loading until the first answer, why it could
 * not be loaded (also above a list kept from before, when a refresh fails), what an empty list means,
 * and the list itself.
 */
export function DataStates<T>({
  items,
  error,
  what,
  failed,
  empty,
  children,
}: {
  /** Undefined until the first answer. */
  items: readonly T[] | undefined;
  error: string | undefined;
  /** "Loading {what}…" */
  what: string;
  /** "{failed}: {error}", e.g. "Could not load the members". */
  failed: string;
  /** What an empty list means; without it an empty list is the list (its own words, or nothing). */
  empty?: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}) {
  return (
    <>
      {error && <InlineError message={`${failed}: ${error}`} />}
      {items === undefined ? (
        !error && <Loading what={what} />
      ) : items.length === 0 && empty !== undefined ? (
        <Empty>{empty}</Empty>
      ) : (
        children(items)
      )}
    </>
  );
}
