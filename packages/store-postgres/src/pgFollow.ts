import type { Logger, ReadAllOptions, RecordedEvent } from '@rotor/core';
import { Observable } from 'rxjs';
import { asStoreError, storeErrorException } from './pgErrors.js';
import type { AllPage } from './pgReads.js';

/** What a follower needs from its store. */
export interface FollowSource {
  readonly allPage: (
    after: bigint,
    prefixes: ReadonlyArray<string> | undefined,
  ) => Promise<AllPage>;
  readonly isClosed: () => boolean;
  /** Registers a follower; returns how to forget it. */
  readonly register: (follower: Follower) => () => void;
  /** Called on every poll: keeps the wake-up session alive. */
  readonly onPoll: () => void;
  readonly pollIntervalMs: number;
  readonly logger: Logger;
}

/** A live follower, as the store wakes and ends it. */
export interface Follower {
  readonly wake: () => void;
  readonly end: () => void;
}

/**
 * `follow` over paged reads. One loop per subscriber reads every page after
 * its cursor and emits it. A NOTIFY (another process committed) or an
 * append through this store wakes it at once; a timer wakes it every
 * `pollIntervalMs` in case a notification was lost. A wake while the loop
 * runs makes it go round once more. Pages hold only final events (see
 * `pgReads`), so the cursor never passes an event committed later: nothing
 * is skipped, and since the cursor only moves forward, nothing repeated.
 * An unreachable server is logged and retried at the next poll.
 */
export const followPostgres = (
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
        const page = await source.allPage(cursor, options.streamPrefixes);
        for (const event of page.events) {
          if (subscriber.closed) {
            return;
          }
          cursor = event.position;
          subscriber.next(event);
        }
        cursor = page.scannedTo > cursor ? page.scannedTo : cursor;
        if (!page.more) {
          return;
        }
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
            source.logger.warn('store.postgres.follow.retrying', {
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
    const timer = setInterval(() => {
      source.onPoll();
      wake();
    }, source.pollIntervalMs);
    source.onPoll();
    wake();

    return () => {
      clearInterval(timer);
      forget();
    };
  });
