// Small building blocks every console page uses: loading, errors, empty lists, copy.
import { type ReactNode, useState } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function InlineError({ message }: { message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Copies `text`; says so in a live region, or explains when the browser refuses the clipboard. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="secondary small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="muted">
        {state === 'copied'
          ? 'Copied'
          : state === 'failed'
            ? 'The browser refused the clipboard: select the text and copy it'
            : ''}
      </span>
    </span>
  );
}

export function ScopeList({ scopes }: { scopes: readonly string[] }) {
  if (scopes.length === 0) return <span className="muted">(none)</span>;
  return (
    <span className="scope-list">
      {scopes.map((scope) => (
        <code key={scope} className={scope === 'ALL' || scope.endsWith('_WRITE') ? 'chip chip-write' : 'chip'}>
          {scope}
        </code>
      ))}
    </span>
  );
}

/** A URI that may wrap only after a slash (never inside a word), for narrow table cells. */
export function Uri({ value }: { value: string }) {
  const parts = value.split(/(?<=\/)/);
  return (
    <code className="small uri">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, never reordered
        <span key={i}>
          {part}
          <wbr />
        </span>
      ))}
    </code>
  );
}

/** A client in a table cell: its (cleaned) name, isolated for bidi, over its ID. */
export function ClientNameAndId({ name, id }: { name: string; id: string }) {
  return (
    <>
      <strong>
        <bdi>{name}</bdi>
      </strong>
      <br />
      <code className="small">{id}</code>
    </>
  );
}
