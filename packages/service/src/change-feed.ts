import type { StackConfig } from '@enginy/config/load';
import { ChangeFeed } from '@enginy/db/change-feed';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The process's one change feed (@enginy/db/change-feed), or none without a database URL. Each
     * user listens on its channel with `listen()` while the app is built; it connects on ready, and
     * only if some channel is wanted.
     */
    changeFeed: ChangeFeed | undefined;
  }
}

/**
 * One LISTEN connection per process, whatever listens (the MCP endpoint's token validity, the
 * failure lab): one connection fewer, and one fence answers every reader of a request at once, where
 * a feed each made a request pay a round trip per feed it consulted.
 */
const changeFeed: FastifyPluginAsync<{ config: StackConfig }> = async (app, { config }) => {
  const feed =
    config.databaseUrl === undefined
      ? undefined
      : new ChangeFeed(config.databaseUrl, [], {
          onError: (error) =>
            app.log.warn(
              { err: error, channels: feed?.listensOn },
              'change feed lost: remembered tokens and failure-lab switches are read per request until it is back',
            ),
          onRecovered: () => app.log.info('change feed back: what it fences is remembered again'),
        });
  app.decorate('changeFeed', feed);
  if (feed === undefined) return;
  // Ready before the first request; with the database down start() gives up at once, and keeps trying.
  app.addHook('onReady', async () => {
    if (feed.listensOn.length > 0) await feed.start();
  });
  app.addHook('onClose', () => feed.close());
};

export default fp(changeFeed, { name: 'change-feed', fastify: '5.x' });
