// What the global setup hands to test files through vitest's provide/inject; imported by both
// sides, so every package that uses the harness sees the type.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded test server's base URL, without a database name. */
    pgServerUrl: string;
  }
}

export {};
