import pg from 'pg';

/**
 * The channel migration 0010's triggers notify, in the writer's own transaction, whenever a row
 * that decides whether an access token is valid, or what it may do, changes: a token or grant
 * revoked, a grant's scopes, a workspace's MCP switch or policy; and migration 0011's, when a
 * membership ends (not on a role change). Notifications carry no payload.
 */
export const TOKEN_VALIDITY_CHANNEL = 'enginy_token_validity';

/** How the feed's session shows in pg_stat_activity. */
export const CHANGE_FEED_APPLICATION_NAME = 'enginy change feed';

export interface ChangeFeedOptions {
  /** How long to wait before connecting again after the connection failed or dropped. */
  reconnectMs?: number;
  /**
   * The feed stopped listening (its connection failed or dropped), once per outage: it keeps trying,
   * and readers go to the database meanwhile.
   */
  onError?: (error: Error) => void;
  /** The feed listens again after an outage. */
  onRecovered?: () => void;
}

/**
 * What a reader of one channel needs (TokenLookups, FailureLabView): the channel's epoch, and a
 * fence answering with it. A ChangeFeed is one for all its channels at once; `channel()` gives one
 * per channel, so that a change on one does not invalidate what was read for another.
 */
export interface FencedChannel {
  /** True while the connection is up and LISTENing: only then does `fence()` mean anything. */
  readonly ready: boolean;
  readonly epoch: number;
  /**
   * Resolves with the epoch once a fence sent after `since` (a `mark()`), or after this call when
   * there is none, has been answered.
   */
  fence(since?: number): Promise<number>;
  /** A point in the feed's fences: any fence sent after it answers for what committed before it. */
  mark(): number;
}

/**
 * One connection LISTENing on one or more channels, and a fence on it.
 *
 * An epoch counts what may have changed: each channel has its own, moved by its notifications, and
 * every (re)connection moves them all (notifications sent while the feed was not listening are
 * lost); the feed's own `epoch` moves with any of them. Something read from the database while an
 * epoch was `e` is still current as long as that epoch is still `e`.
 *
 * `fence()` answers that for "now": it sends a trivial query and resolves, with the epoch, once the
 * answer is back. PostgreSQL delivers to a listening session every notification committed before
 * the query arrived, ahead of the query's answer ("if any notifies were received during the
 * just-finished transaction, they'll be seen by the client before ReadyForQuery", postgres.c), and
 * node-postgres handles the messages of a connection in order. So a change committed before
 * `fence()` was called has moved the epoch by the time the fence resolves, on every channel at once.
 *
 * That is why one fence serves every reader of a request: `mark()` when the request arrives, and
 * `fence(mark)` resolves at once if a fence sent after the mark has already been answered (the
 * token check's, say), instead of sending another.
 */
export class ChangeFeed implements FencedChannel {
  private client: pg.Client | undefined;
  private listening = false;
  /** An outage has been reported and not yet its end. */
  private down = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly channels: string[];
  /** One per channel, in `channels`' order. */
  private readonly epochs: number[];
  private currentEpoch = 0;
  /** Fences sent so far: each one's number is the count once it is sent. */
  private sent = 0;
  /** The number of the last fence answered (they are answered in order, on one connection). */
  private answered = 0;
  private inFlight: { seq: number; epoch: Promise<number> } | undefined;
  private next: Promise<number> | undefined;

  constructor(
    private readonly url: string,
    channels: string | readonly string[],
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.channels = typeof channels === 'string' ? [channels] : [...channels];
    this.epochs = this.channels.map(() => 0);
  }

  get ready(): boolean {
    return this.listening;
  }

  get epoch(): number {
    return this.currentEpoch;
  }

  /**
   * Listens on one more channel, and gives its reader's view of the feed. Only before `start()`:
   * a channel added to a live connection would have an epoch that missed notifications.
   */
  listen(channel: string): FencedChannel {
    if (!this.channels.includes(channel)) {
      if (this.client !== undefined) throw new Error(`The change feed is started: too late to listen on ${channel}.`);
      this.channels.push(channel);
      this.epochs.push(0);
    }
    return this.channel(channel);
  }

  /** One channel's view of the feed: its own epoch, the feed's fences. */
  channel(channel: string): FencedChannel {
    const index = this.channels.indexOf(channel);
    if (index < 0) throw new Error(`The change feed does not listen on ${channel}.`);
    const feed = this;
    const epoch = () => feed.epochs[index] as number;
    return {
      get ready() {
        return feed.listening;
      },
      get epoch() {
        return epoch();
      },
      fence: (since) => feed.fence(since).then(epoch),
      mark: () => feed.mark(),
    };
  }

  get listensOn(): readonly string[] {
    return this.channels;
  }

  mark(): number {
    return this.sent;
  }

  /** Connects and LISTENs; resolves either way (a failure is reported and retried in the background). */
  async start(): Promise<void> {
    if (this.closed || this.client !== undefined) return;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 2_000,
      application_name: CHANGE_FEED_APPLICATION_NAME,
    });
    this.client = client;
    client.on('notification', (message) => {
      const index = this.channels.indexOf(message.channel);
      if (index < 0) return;
      this.epochs[index] = (this.epochs[index] as number) + 1;
      this.currentEpoch++;
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // One round trip for every channel (the simple query protocol runs the statements in order).
      await client.query(this.channels.map((channel) => `listen ${pg.escapeIdentifier(channel)};`).join(' '));
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    // Whatever was read before this point may have missed a notification: start a new epoch.
    this.moveAll();
    this.listening = true;
    if (this.down) {
      this.down = false;
      this.options.onRecovered?.();
    }
  }

  /**
   * Resolves with the epoch once a query sent after `since` (a `mark()`; without one, after this
   * call) has been answered (see the class): at once when one has been already. Calls made while
   * one is in flight share the next one, so a burst costs two round trips, not one each. Rejects
   * when the feed is not listening, or the connection fails meanwhile.
   */
  fence(since?: number): Promise<number> {
    if (since !== undefined) {
      // Checked while listening only: an epoch moved by a loss since then is no answer to wait for.
      if (this.answered > since && this.listening) return Promise.resolve(this.currentEpoch);
      if (this.inFlight !== undefined && this.inFlight.seq > since) return this.inFlight.epoch;
    }
    if (this.inFlight === undefined) return this.send();
    // The query in flight may have left before this call: wait for one that leaves after it.
    this.next ??= this.inFlight.epoch.then(
      () => this.sendNext(),
      () => this.sendNext(),
    );
    return this.next;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private sendNext(): Promise<number> {
    this.next = undefined;
    return this.send();
  }

  private send(): Promise<number> {
    const client = this.client;
    if (!this.listening || client === undefined) return Promise.reject(new Error('The change feed is not listening.'));
    const seq = ++this.sent;
    const epoch = client.query('').then(() => {
      if (seq > this.answered) this.answered = seq;
      return this.currentEpoch;
    });
    const sent = { seq, epoch };
    this.inFlight = sent;
    const settled = () => {
      if (this.inFlight === sent) this.inFlight = undefined;
    };
    epoch.then(settled, settled);
    return epoch;
  }

  private moveAll(): void {
    for (let index = 0; index < this.epochs.length; index++) this.epochs[index] = (this.epochs[index] as number) + 1;
    this.currentEpoch++;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.moveAll();
    if (!this.down && !this.closed) {
      this.down = true;
      this.options.onError?.(error ?? new Error('The change feed connection ended.'));
    }
    client.end().catch(() => {});
    if (this.closed) return;
    this.retry = setTimeout(() => void this.start(), this.options.reconnectMs ?? 1_000);
    this.retry.unref();
  }
}
