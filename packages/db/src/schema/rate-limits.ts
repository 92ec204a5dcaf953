/** One fixed window of one rate-limit key (RATE_LIMIT_STORE=postgres); UNLOGGED, see migration 0009. */
export interface RateLimitCounterTable {
  key: string;
  count: number;
  expires_at: Date;
}

export interface RateLimitTables {
  rate_limit_counters: RateLimitCounterTable;
}
