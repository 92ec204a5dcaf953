import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { FAILURE_LAB_CHANNEL, type LabSwitchRow } from '@enginy/db/queries/failure-lab';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FailureLabView } from './failure-lab-view.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The failure-lab switches in force (`pnpm lab`); always none in production. */
    failureLab: FailureLabView;
  }
  interface FastifyRequest {
    /**
     * The failure-lab switches in force for this request, as of its arrival. Asked once: every later
     * call in the same request gets the same answer, and the first pays no fence when one was sent
     * since the request arrived (the MCP token check's).
     */
    labSwitches(): Promise<readonly LabSwitchRow[]>;
    /** Where the change feed's fences stood when this request arrived (null: not taken). */
    failureLabMark: number | null;
    failureLabSeen: Promise<readonly LabSwitchRow[]> | null;
  }
}

export interface FailureLabOptions {
  config: StackConfig;
  db: Db;
}

/**
 * Decorates the app with its view of the failure-lab switches, listening on migration 0012's channel
 * on the process's change feed (none in production, where the view holds nothing), and each request
 * with the switches it sees.
 */
const failureLab: FastifyPluginAsync<FailureLabOptions> = async (app, { config, db }) => {
  const production = config.nodeEnv === 'production';
  const feed = production ? undefined : app.changeFeed?.listen(FAILURE_LAB_CHANNEL);
  const view = new FailureLabView(db, feed, production, (error) =>
    app.log.warn({ err: error }, 'failure-lab switches unreadable: using the last ones read'),
  );
  app.decorate('failureLab', view);
  app.decorateRequest('failureLabMark', null);
  app.decorateRequest('failureLabSeen', null);
  app.decorateRequest('labSwitches', function (this: FastifyRequest) {
    // Without a mark (asked from a hook that ran before this plugin's), a fence sent from now on.
    this.failureLabSeen ??= view.current(this.failureLabMark ?? undefined);
    return this.failureLabSeen;
  });
  if (feed !== undefined) {
    // Synchronous and before the routes' own hooks: the mark precedes every fence the request sends.
    app.addHook('onRequest', (request, _reply, done) => {
      request.failureLabMark = feed.mark();
      done();
    });
  }
};

export default fp(failureLab, { name: 'failure-lab', fastify: '5.x', dependencies: ['change-feed'] });
