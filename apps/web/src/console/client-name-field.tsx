import { MAX_NAME_LENGTH } from '@enginy/contracts/limits';
import { cleanClientName } from '@enginy/policy/client-name';

/**
 * The name of a new pre-registered client, and the name users will see on the consent page: the very
 * policy function the server stores it with, so bidi overrides and invisible characters show as gone
 * before saving, not after.
 */
export function ClientNameField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const typed = value.trim();
  const shown = cleanClientName(value, '');
  return (
    <>
      <label>
        Name
        <input
          name="name"
          required
          maxLength={MAX_NAME_LENGTH}
          placeholder="CI client"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby="new-client-name-shown"
        />
      </label>
      <p id="new-client-name-shown" className="muted small" aria-live="polite">
        {typed === '' ? null : shown === '' ? (
          <span className="error">
            Nothing is left of this name once invisible and direction characters are removed.
          </span>
        ) : (
          <>
            Shown to users as{' '}
            <strong data-testid="client-name-shown">
              <bdi>{shown}</bdi>
            </strong>
            {shown !== typed && ' (invisible and direction characters removed)'}
          </>
        )}
      </p>
    </>
  );
}
