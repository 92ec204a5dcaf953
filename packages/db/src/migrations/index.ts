import type { Migration } from 'kysely';
import * as m0001 from './0001-workspaces.ts';
import * as m0002 from './0002-domain.ts';
import * as m0003 from './0003-oauth.ts';
import * as m0004 from './0004-mcp-usage.ts';
import * as m0005 from './0005-console.ts';
import * as m0006 from './0006-refresh-retry.ts';
import * as m0007 from './0007-client-metadata-source.ts';
import * as m0008 from './0008-dynamic-client-source.ts';
import * as m0009 from './0009-rate-limit-counters.ts';
import * as m0010 from './0010-token-validity-notify.ts';
import * as m0011 from './0011-membership-ends-access.ts';
import * as m0012 from './0012-failure-lab.ts';
import * as m0013 from './0013-flow-steps.ts';
import * as m0014 from './0014-issuer-path.ts';

/**
 * Every migration, by name, in the order they run. Forward-only: a migration that has shipped is
 * never edited; a change is a new file here.
 */
export const migrations: Record<string, Migration> = {
  '0001-workspaces': m0001,
  '0002-domain': m0002,
  '0003-oauth': m0003,
  '0004-mcp-usage': m0004,
  '0005-console': m0005,
  '0006-refresh-retry': m0006,
  '0007-client-metadata-source': m0007,
  '0008-dynamic-client-source': m0008,
  '0009-rate-limit-counters': m0009,
  '0010-token-validity-notify': m0010,
  '0011-membership-ends-access': m0011,
  '0012-failure-lab': m0012,
  '0013-flow-steps': m0013,
  '0014-issuer-path': m0014,
};
