import type { StackConfig } from '@enginy/config/load';
import { ChangeFeed } from '@enginy/db/change-feed';
import type { Db } from '@enginy/db/client';
import { FAILURE_LAB_CHANNEL } from '@enginy/db/queries/failure-lab';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { FailureLabView } from './failure-lab-view.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The failure-lab switches in force (`pnpm lab`); always none in production. */
    failureLab: FailureLabView;
  }
}

export interface FailureLabOptions {
  config: StackConfig;
  db: Db;
}

/**
 * Decorates the app with its view of the failure-lab switches, listening on migration 0012's channel
 * with a connection of its own (none in production, where the view holds nothing).
 */
const failureLab: FastifyPluginAsync<FailureLabOptions> = async (app, { config, db }) => {
  const production = config.nodeEnv === 'production';
  const feed =
    production || config.databaseUrl === undefined
      ? undefined
      : new ChangeFeed(config.databaseUrl, FAILURE_LAB_CHANNEL, {
          onError: (error) =>
            app.log.warn({ err: error }, 'failure-lab feed lost: the lab reads its switches per request'),
        });
  const view = new FailureLabView(db, feed, production, (error) =>
    app.log.warn({ err: error }, 'failure-lab switches unreadable: using the last ones read'),
  );
  app.decorate('failureLab', view);
  if (feed !== undefined) {
    app.addHook('onReady', () => feed.start());
    app.addHook('onClose', () => feed.close());
  }
};

export default fp(failureLab, { name: 'failure-lab', fastify: '5.x' });
