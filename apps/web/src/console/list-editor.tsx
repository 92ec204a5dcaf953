import { type FormEvent, useId, useState } from 'react';

/**
 * An editable list of exact strings (redirect URIs, client IDs): each entry with Remove, and one
 * input to add another, checked by `check` (a packages/policy allowlist-entry rule, the one the server
 * applies) before it joins the list.
 */
export function ListEditor({
  label,
  items,
  onChange,
  check,
  placeholder,
  emptyText,
  readOnly,
}: {
  label: string;
  items: readonly string[];
  onChange: (next: string[]) => void;
  check: (value: string) => string | undefined;
  placeholder: string;
  emptyText: string;
  readOnly: boolean;
}) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const id = useId();

  const add = (event?: FormEvent) => {
    event?.preventDefault();
    const reason = items.includes(draft) ? 'is already in the list' : check(draft);
    if (reason !== undefined) {
      setProblem(`${draft === '' ? 'The entry' : draft} ${reason}`);
      return;
    }
    onChange([...items, draft]);
    setDraft('');
    setProblem(undefined);
  };

  return (
    <div className="list-editor">
      <ul aria-label={label} className="entries">
        {items.length === 0 && <li className="muted">{emptyText}</li>}
        {items.map((item) => (
          <li key={item}>
            <code>{item}</code>
            {!readOnly && (
              <button
                type="button"
                className="secondary small"
                onClick={() => onChange(items.filter((i) => i !== item))}
                aria-label={`Remove ${item}`}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <div className="add-row">
          <label htmlFor={id} className="visually-hidden">
            {`Add to ${label}`}
          </label>
          <input
            id={id}
            value={draft}
            placeholder={placeholder}
            aria-invalid={problem !== undefined}
            aria-describedby={problem === undefined ? undefined : `${id}-problem`}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') add(e);
            }}
          />
          <button type="button" className="secondary" onClick={() => add()}>
            Add
          </button>
        </div>
      )}
      {problem !== undefined && (
        <p id={`${id}-problem`} role="alert" className="error">
          {problem}
        </p>
      )}
    </div>
  );
}
