import type { Logger, ReadAllOptions, RecordedEvent } from '@rotor/core';
import { Observable } from 'rxjs';
import { asStoreError, storeErrorException } from './sqliteErrors.js';
import type { AllPage } from './sqliteRows.js';

/** What a follower needs from its store. */
export interface FollowSource {
  readonly allPage: (
    after: bigint,
    prefixes: ReadonlyArray<string> | undefined,
  ) => AllPage;
  readonly isClosed: () => boolean;
  /** Registers a follower; returns how to forget it. */
  readonly register: (follower: Follower) => () => void;
  readonly pollIntervalMs: number;
  readonly logger: Logger;
}

/** A live follower, as the store wakes and ends it. */
export interface Follower {
  readonly wake: () => void;
  readonly end: () => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `follow` over paged reads. One loop per subscriber reads every page after
 * its cursor and emits it; an append in this process wakes the loop at
 * once, and a timer wakes it to see appends by other processes. A wake
 * while the loop runs makes it go round once more, so nothing committed is
 * missed and, since the cursor only moves forward, nothing is repeated.
 * SQLite commits one writer at a time and assigns positions inside the
 * write lock, so positions become visible in order and a cursor never
 * passes an event committed later.
 */
export const followSqlite = (
  source: FollowSource,
  options: ReadAllOptions = {},
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    if (source.isClosed()) {
      subscriber.complete();

      return undefined;
    }
    let cursor = options.after ?? 0n;
    let running = false;
    let again = false;

    const drain = async (): Promise<void> => {
      for (;;) {
        if (subscriber.closed || source.isClosed()) {
          return;
        }
        const page = source.allPage(cursor, options.streamPrefixes);
        for (const event of page.events) {
          cursor = event.position;
          subscriber.next(event);
          if (subscriber.closed) {
            return;
          }
        }
        cursor = page.scannedTo > cursor ? page.scannedTo : cursor;
        if (!page.more) {
          return;
        }
        // Yield between pages so a long replay does not hold the loop.
        await nextTurn();
      }
    };

    const wake = (): void => {
      if (running) {
        again = true;

        return;
      }
      running = true;
      void (async () => {
        try {
          do {
            again = false;
            await drain();
          } while (again && !subscriber.closed);
        } catch (cause) {
          const error = asStoreError(cause);
          if (source.isClosed()) {
            subscriber.complete();
          } else if (error._tag === 'StoreUnavailable') {
            // Busy or briefly unreadable: the next poll tries again.
            source.logger.warn('store.sqlite.follow.retrying', {
              position: cursor.toString(),
            });
          } else {
            subscriber.error(storeErrorException(error));
          }
        } finally {
          running = false;
        }
      })();
    };

    const forget = source.register({
      wake,
      end: () => subscriber.complete(),
    });
    const timer = setInterval(wake, source.pollIntervalMs);
    wake();

    return () => {
      clearInterval(timer);
      forget();
    };
  });
