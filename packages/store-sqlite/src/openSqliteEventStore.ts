import { silentLogger, systemClock } from '@rotor/core';
import type { Clock, EventStore, Logger, StoreError } from '@rotor/core';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { prepareAppend } from './sqliteAppend.js';
import { storeClosed, storeErrorOf } from './sqliteErrors.js';
import { followSqlite, type Follower } from './sqliteFollow.js';
import { readAllPaged, readStreamPaged } from './sqliteReads.js';
import { prepareQueries } from './sqliteRows.js';
import { migrate } from './sqliteSchema.js';

/** Options of {@link openSqliteEventStore}. @category constructors */
export interface SqliteEventStoreOptions {
  /** The database file; created with its schema when missing. */
  readonly path: string;
  /** Receives `store.sqlite.*` records; silent when absent. */
  readonly logger?: Logger;
  /** How often followers look for appends by other processes; 200 ms. */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's lock; 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Stamps `recordedAt`; the system clock when absent. */
  readonly clock?: Clock;
}

const tryDb = <A>(f: () => A): E.Either<StoreError, A> =>
  E.tryCatch(f, storeErrorOf);

// synchronous=FULL: in WAL mode NORMAL keeps the database consistent but may
// lose the last commits on a power cut. A lost PasswordChanged, after the
// account was changed, would leave a job that no longer knows which
// password the account has; rotation writes few events, so the cost (about
// 5k single appends/s instead of 17k, see STORES.md §4) does not matter.
const configure = (db: Database.Database, busyTimeoutMs: number) => {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
};

/**
 * Opens (creating when missing) the SQLite event store in one file, in WAL
 * mode, and brings its schema up to date.
 *
 * - `append` checks the expected revision and writes all its events in one
 *   IMMEDIATE transaction: all or nothing, also when the process is killed.
 *   A lock held by another process past `busyTimeoutMs` is
 *   `StoreUnavailable`; event data that is not JSON is `StoreFailed`.
 * - `readStream` and `readAll` read in pages of 500, so any number of
 *   events streams in bounded memory. A failure is thrown from the
 *   iterator as a {@link StoreErrorException}.
 * - `follow` replays, then wakes at once for appends through this store
 *   and every `pollIntervalMs` for appends by other processes.
 * - `close` completes followers and releases the file.
 *
 * The file must be on a local disk: SQLite's WAL does not work over SMB or
 * NFS. Several processes on one host may share it.
 *
 * @example
 * const opened = await openSqliteEventStore({ path: './rotor.db' });
 * if (isRight(opened)) {
 *   await opened.right.append('job-1', [event], 'no-stream');
 * }
 *
 * @category constructors
 */
export const openSqliteEventStore = (
  options: SqliteEventStoreOptions,
): Promise<E.Either<StoreError, EventStore>> => {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const opened = tryDb(() => new Database(options.path));
  if (E.isLeft(opened)) {
    return Promise.resolve(opened);
  }
  const db = opened.right;
  const prepared = E.flatMap(
    tryDb(() => configure(db, options.busyTimeoutMs ?? 5000)),
    () =>
      E.flatMap(migrate(db, clock.now().toISOString()), () =>
        tryDb(() => ({
          queries: prepareQueries(db),
          write: prepareAppend(db),
        })),
      ),
  );
  if (E.isLeft(prepared)) {
    db.close();

    return Promise.resolve(prepared);
  }
  const { queries, write } = prepared.right;
  const followers = new Set<Follower>();
  let closed = false;
  const isClosed = () => closed;
  logger.debug('store.sqlite.opened', { path: options.path });

  const append: EventStore['append'] = (stream, events, expected) => {
    if (closed) {
      return Promise.resolve(E.left(storeClosed));
    }
    const result = write(stream, events, expected, clock.now().toISOString());
    if (E.isRight(result) && events.length > 0) {
      for (const follower of [...followers]) {
        follower.wake();
      }
    }

    return Promise.resolve(result);
  };

  const close = (): Promise<void> => {
    if (!closed) {
      closed = true;
      for (const follower of [...followers]) {
        follower.end();
      }
      followers.clear();
      db.close();
      logger.debug('store.sqlite.closed', { path: options.path });
    }

    return Promise.resolve();
  };

  const store: EventStore = {
    append,
    readStream: (stream, readOptions) =>
      readStreamPaged(queries, isClosed, stream, readOptions?.fromRevision),
    readAll: (readOptions) => readAllPaged(queries, isClosed, readOptions),
    follow: (followOptions) =>
      followSqlite(
        {
          allPage: queries.allPage,
          isClosed,
          register: (follower) => {
            followers.add(follower);

            return () => followers.delete(follower);
          },
          pollIntervalMs: options.pollIntervalMs ?? 200,
          logger,
        },
        followOptions,
      ),
    close,
  };

  return Promise.resolve(E.right(store));
};
