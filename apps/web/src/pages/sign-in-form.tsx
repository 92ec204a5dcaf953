import { type FormEvent, useState } from 'react';
import { ApiError, call, type Session } from '../api.ts';

/** Email + password sign-in. The accessible names (Email, Password, Sign in) are part of the contract. */
export function SignInForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(
        await call<Session>('POST', '/session', { body: { email: form.get('email'), password: form.get('password') } }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not reach the sign-in service');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-heading" className="card">
      <h1 id="sign-in-heading">Sign in to Enginy</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
