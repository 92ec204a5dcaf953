// The console's length limits, without TypeBox: the web app's inputs use them at run time without
// bundling the schema builder (its types come from the schemas, which cost nothing at run time).

/** The longest text any console field takes (a redirect URI, a client ID, a query filter). */
export const MAX_FIELD_LENGTH = 2048;
/** The longest name of a pre-registered client or an API key. */
export const MAX_NAME_LENGTH = 200;
