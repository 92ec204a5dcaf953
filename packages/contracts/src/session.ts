// The web app's sign-in session (apps/auth: POST, GET, DELETE /session, as /api/auth/session).
import { Type } from 'typebox';

/** POST /session (signed in) and GET /session (still signed in): who, and the CSRF token for writes. */
export const Session = Type.Object({
  user: Type.Object({ email: Type.String(), name: Type.String() }),
  csrfToken: Type.String(),
});
