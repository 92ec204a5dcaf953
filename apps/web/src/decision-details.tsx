/** The details behind a policy decision (keys from packages/policy), each under its label in words. */
export function DecisionDetails({
  details,
  labels,
}: {
  details: Record<string, unknown>;
  labels: Record<string, string>;
}) {
  return (
    <dl>
      {Object.entries(details).map(([name, value]) => (
        <div key={name}>
          <dt>{labels[name] ?? name}</dt>
          <dd>
            <code>{Array.isArray(value) ? value.join(' ') || '(none)' : String(value)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
