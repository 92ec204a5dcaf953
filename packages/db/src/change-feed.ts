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
 * One connection LISTENing on a channel, and a fence on it.
 *
 * `epoch` counts what may have changed: it moves on every notification, and on every (re)connection
 * (notifications sent while the feed was not listening are lost). Something read from the database
 * while the epoch was `e` is still current as long as the epoch is still `e`.
 *
 * `fence()` answers that for "now": it sends a trivial query and resolves, with the epoch, once the
 * answer is back. PostgreSQL delivers to a listening session every notification committed before
 * the query arrived, ahead of the query's answer ("if any notifies were received during the
 * just-finished transaction, they'll be seen by the client before ReadyForQuery", postgres.c), and
 * node-postgres handles the messages of a connection in order. So a change committed before
 * `fence()` was called has moved the epoch by the time the fence resolves.
 */
export class ChangeFeed {
  private client: pg.Client | undefined;
  private listening = false;
  /** An outage has been reported and not yet its end. */
  private down = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private currentEpoch = 0;
  private inFlight: Promise<number> | undefined;
  private next: Promise<number> | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly options: ChangeFeedOptions = {},
  ) {}

  /** True while the connection is up and LISTENing: only then does `fence()` mean anything. */
  get ready(): boolean {
    return this.listening;
  }

  get epoch(): number {
    return this.currentEpoch;
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
      if (message.channel === this.channel) this.currentEpoch++;
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    // Whatever was read before this point may have missed a notification: start a new epoch.
    this.currentEpoch++;
    this.listening = true;
    if (this.down) {
      this.down = false;
      this.options.onRecovered?.();
    }
  }

  /**
   * Resolves with the epoch once a query sent after this call has been answered (see the class).
   * Calls made while one is in flight share the next one, so a burst costs two round trips, not one
   * each. Rejects when the feed is not listening, or the connection fails meanwhile.
   */
  fence(): Promise<number> {
    if (this.inFlight === undefined) return this.send();
    // The query in flight may have left before this call: wait for one that leaves after it.
    this.next ??= this.inFlight.then(
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
    const sent = client.query('').then(() => this.currentEpoch);
    this.inFlight = sent;
    const settled = () => {
      if (this.inFlight === sent) this.inFlight = undefined;
    };
    sent.then(settled, settled);
    return sent;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.currentEpoch++;
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
