// Every default port and address of the stack, in one place.
export const DEFAULT_PORTS = {
  openapi: 3001,
  auth: 3002,
  web: 5173,
  embeddedPostgres: 54329,
} as const;

export const DEFAULT_HOST = 'localhost';

// The callback Claude Code listens on with `--callback-port 3118`.
export const CLAUDE_CODE_CALLBACK_PORT = 3118;
export const CLAUDE_CODE_REDIRECT_URI = `http://localhost:${CLAUDE_CODE_CALLBACK_PORT}/callback`;

export const DEFAULT_SEED_ADMIN = {
  email: 'dev@enginy.local',
  password: 'enginy-dev',
} as const;

export const DEFAULT_DATABASE_NAME = 'enginy';
