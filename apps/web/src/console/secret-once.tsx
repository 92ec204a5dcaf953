import { CopyButton } from './ui.tsx';

/** A secret the server will never show again: displayed once, with a copy button and a way to dismiss it. */
export function SecretOnce({ title, rows, onDone }: { title: string; rows: [string, string][]; onDone: () => void }) {
  return (
    <section className="secret" aria-label={title}>
      <h2>{title}</h2>
      <p className="hint">Copy it now: it is shown once and stored only as a keyed hash.</p>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code data-testid={label}>{value}</code> <CopyButton text={value} label={`Copy ${label}`} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="secondary" onClick={onDone}>
        Done, I saved it
      </button>
    </section>
  );
}
