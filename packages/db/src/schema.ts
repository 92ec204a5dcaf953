import type { DomainTables } from './schema/domain.ts';
import type { FailureLabTables } from './schema/failure-lab.ts';
import type { FlowTables } from './schema/flows.ts';
import type { McpTables } from './schema/mcp.ts';
import type { OAuthTables } from './schema/oauth.ts';
import type { RateLimitTables } from './schema/rate-limits.ts';
import type { WorkspaceTables } from './schema/workspaces.ts';

/** The whole database, as the union of each area's tables. */
export interface Database
  extends WorkspaceTables,
    OAuthTables,
    DomainTables,
    McpTables,
    RateLimitTables,
    FailureLabTables,
    FlowTables {}
