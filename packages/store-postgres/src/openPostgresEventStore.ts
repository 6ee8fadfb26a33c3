import { silentLogger, systemClock } from '@rotor/core';
import type { Clock, EventStore, Logger, StoreError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { appendEvents } from './pgAppend.js';
import { storeClosed } from './pgErrors.js';
import { followPostgres, type Follower } from './pgFollow.js';
import { prepareQueries, readAllPaged, readStreamPaged } from './pgReads.js';
import { isSchemaName, migrate } from './pgSchema.js';
import { startWakeups } from './pgWakeups.js';

/**
 * Options of {@link openPostgresEventStore}: where the server is, as a
 * connection string (the store makes and ends its own pool) or as a `pg`
 * pool the caller owns and ends.
 *
 * @category constructors
 */
export type PostgresEventStoreOptions = (
  | { readonly connectionString: string; readonly pool?: undefined }
  | { readonly pool: pg.Pool; readonly connectionString?: undefined }
) & {
  /** The schema holding the tables, created when missing; `rotor`. */
  readonly schema?: string;
  /** Receives `store.postgres.*` records; silent when absent. */
  readonly logger?: Logger;
  /** How often followers poll behind the NOTIFY wake-ups; 500 ms. */
  readonly pollIntervalMs?: number;
  /** How long to wait for a connection (own pool only); 10000 ms. */
  readonly connectTimeoutMs?: number;
  /** Stamps `recordedAt`; the system clock when absent. */
  readonly clock?: Clock;
};

const ownPool = (
  connectionString: string,
  connectTimeoutMs: number,
  logger: Logger,
): pg.Pool => {
  const pool = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    max: 10,
  });
  // An idle connection the server dropped: the pool discards it and the
  // next query opens another. Without a listener this would end the process.
  pool.on('error', (cause) =>
    logger.warn('store.postgres.connection.lost', { error: cause.message }),
  );

  return pool;
};

/**
 * Opens the PostgreSQL event store and brings its schema up to date: a
 * `streams` table (each stream's last revision) and an `events` table in
 * the schema `schema`. Several processes, on several hosts, may share it.
 *
 * - `append` checks the expected revision and writes all its events in one
 *   transaction; racing writers at one revision: exactly one wins, the
 *   others get `WrongExpectedRevision` (also for a unique violation on
 *   (stream, revision)). An unreachable server or a lost connection is
 *   `StoreUnavailable`; event data that is not JSON is `StoreFailed`.
 * - Global order: a position is the writing transaction's id (xid8) and the
 *   event's index in its append; `readAll` and `follow` return only events
 *   of transactions older than every transaction still running
 *   (`pg_snapshot_xmin`), so an append that started earlier and commits
 *   later is never skipped. The price: a long-open transaction anywhere on
 *   the server delays (never loses) delivery.
 * - `follow` replays, then is woken by LISTEN/NOTIFY (a hint only) and
 *   polls every `pollIntervalMs` behind it.
 * - `readStream` and `readAll` page (500 rows a query); a failure is thrown
 *   from the iterator as a `StoreErrorException`.
 * - `close` completes followers and ends the pool if the store made it.
 *
 * Resolves to `StoreUnavailable` when the server cannot be reached, and
 * `StoreFailed` for a schema from a newer rotor or an invalid schema name.
 *
 * @example
 * const opened = await openPostgresEventStore({
 *   connectionString: 'postgres://rotor:…@db.example:5432/rotor',
 * });
 * if (isRight(opened)) {
 *   await opened.right.append('job-1', [event], 'no-stream');
 * }
 *
 * @category constructors
 */
export const openPostgresEventStore = async (
  options: PostgresEventStoreOptions,
): Promise<E.Either<StoreError, EventStore>> => {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const schema = options.schema ?? 'rotor';
  if (!isSchemaName(schema)) {
    return E.left({
      _tag: 'StoreFailed',
      message: `invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`,
    });
  }
  const owned = options.pool === undefined;
  const pool =
    options.pool ??
    ownPool(
      options.connectionString,
      options.connectTimeoutMs ?? 10_000,
      logger,
    );
  const migrated = await migrate(pool, schema);
  if (E.isLeft(migrated)) {
    if (owned) {
      await pool.end().catch(() => undefined);
    }

    return migrated;
  }

  const channel = `rotor_events_${schema}`;
  const queries = prepareQueries(pool, schema);
  const followers = new Set<Follower>();
  const wakeAll = () => {
    for (const follower of [...followers]) {
      follower.wake();
    }
  };
  const wakeups = startWakeups(pool, channel, wakeAll, logger);
  let closed = false;
  const isClosed = () => closed;
  logger.debug('store.postgres.opened', { schema });

  const append: EventStore['append'] = async (stream, events, expected) => {
    if (closed) {
      return E.left(storeClosed);
    }
    const result = await appendEvents(pool, schema, channel, {
      stream,
      events,
      expected,
      recordedAt: clock.now().toISOString(),
    });
    if (E.isRight(result) && events.length > 0) {
      wakeAll();
    }

    return result;
  };

  const close = async (): Promise<void> => {
    if (closed) {
      return;
    }
    closed = true;
    for (const follower of [...followers]) {
      follower.end();
    }
    followers.clear();
    await wakeups.close();
    if (owned) {
      await pool.end().catch(() => undefined);
    }
    logger.debug('store.postgres.closed', { schema });
  };

  return E.right({
    append,
    readStream: (stream, readOptions) =>
      readStreamPaged(queries, isClosed, stream, readOptions?.fromRevision),
    readAll: (readOptions) => readAllPaged(queries, isClosed, readOptions),
    follow: (followOptions) =>
      followPostgres(
        {
          allPage: queries.allPage,
          isClosed,
          register: (follower) => {
            followers.add(follower);

            return () => followers.delete(follower);
          },
          onPoll: wakeups.ensure,
          pollIntervalMs: options.pollIntervalMs ?? 500,
          logger,
        },
        followOptions,
      ),
    close,
  });
};
