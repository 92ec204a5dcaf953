import type { ColumnType } from 'kysely';

/** Calls per connection (grant) and tool, for the console; written in batches, never per call. */
export interface McpToolUsageTable {
  grant_id: string;
  tool: string;
  calls: ColumnType<number, number, number>;
  last_called_at: Date;
}

export interface McpTables {
  mcp_tool_usage: McpToolUsageTable;
}
