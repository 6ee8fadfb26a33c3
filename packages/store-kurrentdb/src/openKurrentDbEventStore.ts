import { silentLogger } from '@rotor/core';
import type {
  EventStore,
  Logger,
  ReadAllOptions,
  RecordedEvent,
  StoreError,
} from '@rotor/core';
import {
  KurrentDBClient,
  StreamNotFoundError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Filter,
  type JSONType,
} from '@kurrent/kurrentdb-client';
import * as E from 'fp-ts/lib/Either.js';
import { Observable, type Subscriber } from 'rxjs';
import {
  storeClosed,
  storeErrorException,
  storeErrorOf,
} from './kurrentErrors.js';
import {
  appendResultOf,
  fromPositionOf,
  fromRevisionOf,
  recordedOf,
  streamStateOf,
} from './kurrentMapping.js';

/**
 * Options of {@link openKurrentDbEventStore}.
 *
 * @category constructors
 */
export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://host:2113?tls=false` and the like (`esdb://` too). */
  readonly connectionString: string;
  /**
   * A prefix put before every stream name on the server and taken off on
   * reading; reads and `follow` see only its streams. Lets several stores
   * (or test runs) share one server. Empty when absent.
   */
  readonly namespace?: string;
  /** Receives `store.kurrentdb.*` records; silent when absent. */
  readonly logger?: Logger;
}

// Checked before anything is sent, so data that is not JSON fails the
// whole append with nothing written.
const isJson = (data: unknown): boolean => {
  try {
    return typeof JSON.stringify(data) === 'string';
  } catch {
    return false;
  }
};

/**
 * Opens an `EventStore` on a KurrentDB (or EventStoreDB ≥ 21.10) server.
 * The client connects lazily, so opening fails only on a connection string
 * it cannot parse (`StoreFailed`); an unreachable server shows on the first
 * operation as `StoreUnavailable`.
 *
 * - `append` sends all events in one append with `streamState` from the
 *   expected revision; a conflict is `WrongExpectedRevision`.
 * - `readStream` reads a stream forwards; a missing stream has no events.
 * - `readAll` reads `$all` forwards with a server-side stream-prefix filter
 *   (system events excluded); `follow` is a catch-up subscription to `$all`
 *   with the same filter from the position given. A position is the
 *   event's commit position.
 * - A read failure is thrown from the iterator, and a `follow` failure
 *   emitted, as a `StoreErrorException`.
 * - `close` completes followers and disposes of the client.
 *
 * @example
 * const opened = await openKurrentDbEventStore({
 *   connectionString: 'kurrentdb://127.0.0.1:2113?tls=false',
 * });
 *
 * @category constructors
 */
export const openKurrentDbEventStore = (
  options: KurrentDbEventStoreOptions,
): Promise<E.Either<StoreError, EventStore>> => {
  const logger = options.logger ?? silentLogger;
  const namespace = options.namespace ?? '';
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(options.connectionString);
  } catch (cause) {
    return Promise.resolve(
      E.left({
        _tag: 'StoreFailed',
        message: `invalid KurrentDB connection string: ${cause instanceof Error ? cause.message : 'unparsable'}`,
      }),
    );
  }
  let closed = false;
  const followers = new Set<Subscriber<RecordedEvent>>();
  const stored = (stream: string) => `${namespace}${stream}`;
  const shown = (name: string): string | undefined =>
    name.startsWith(namespace) ? name.slice(namespace.length) : undefined;

  // The server-side filter of a global read: the stream prefixes under the
  // namespace, or only the exclusion of system events.
  const filterOf = (
    prefixes: ReadonlyArray<string> | undefined,
  ): Filter | 'nothing' => {
    if (prefixes !== undefined && prefixes.length === 0) {
      return 'nothing';
    }
    const full = (prefixes ?? ['']).map(stored);

    return full.includes('')
      ? excludeSystemEvents()
      : streamNameFilter({ prefixes: full });
  };

  const append: EventStore['append'] = async (stream, events, expected) => {
    if (closed) {
      return E.left(storeClosed);
    }
    if (!events.every((e) => isJson(e.data))) {
      return E.left({
        _tag: 'StoreFailed',
        message: 'event data is not plain JSON',
      });
    }
    try {
      const result = await client.appendToStream(
        stored(stream),
        events.map((e) =>
          jsonEvent({ type: e.type, data: e.data as JSONType }),
        ),
        { streamState: streamStateOf(expected) },
      );

      return E.right(appendResultOf(result));
    } catch (cause) {
      const error = storeErrorOf(cause, { stream, expected });
      logger.debug('store.kurrentdb.append.failed', {
        stream,
        error: error._tag,
      });

      return E.left(error);
    }
  };

  async function* readStream(
    stream: string,
    readOptions?: { readonly fromRevision?: number },
  ): AsyncGenerator<RecordedEvent> {
    if (closed) {
      throw storeErrorException(storeClosed);
    }
    try {
      const events = client.readStream(stored(stream), {
        fromRevision: fromRevisionOf(readOptions?.fromRevision),
      });
      for await (const resolved of events) {
        const event = recordedOf(resolved, shown);
        if (event !== undefined) {
          yield event;
        }
      }
    } catch (cause) {
      if (cause instanceof StreamNotFoundError) {
        return;
      }
      throw storeErrorException(storeErrorOf(cause));
    }
  }

  async function* readAll(
    readOptions: ReadAllOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    if (closed) {
      throw storeErrorException(storeClosed);
    }
    const filter = filterOf(readOptions.streamPrefixes);
    if (filter === 'nothing') {
      return;
    }
    const after = readOptions.after ?? 0n;
    try {
      const events = client.readAll({
        fromPosition: fromPositionOf(readOptions.after),
        filter,
      });
      for await (const resolved of events) {
        const event = recordedOf(resolved, shown);
        if (event !== undefined && event.position > after) {
          yield event;
        }
      }
    } catch (cause) {
      throw storeErrorException(storeErrorOf(cause));
    }
  }

  const follow = (followOptions: ReadAllOptions = {}) =>
    new Observable<RecordedEvent>((subscriber) => {
      const filter = filterOf(followOptions.streamPrefixes);
      if (closed) {
        subscriber.complete();

        return undefined;
      }
      followers.add(subscriber);
      if (filter === 'nothing') {
        // No stream can match: nothing to emit until the store closes.
        return () => followers.delete(subscriber);
      }
      let cursor = followOptions.after ?? 0n;
      const subscription = client.subscribeToAll({
        fromPosition: fromPositionOf(followOptions.after),
        filter,
      });
      subscription.on('data', (resolved) => {
        const event = recordedOf(resolved, shown);
        if (event !== undefined && event.position > cursor) {
          cursor = event.position;
          subscriber.next(event);
        }
      });
      subscription.on('error', (cause) => {
        if (!closed) {
          subscriber.error(storeErrorException(storeErrorOf(cause)));
        }
      });

      return () => {
        followers.delete(subscriber);
        void subscription.unsubscribe().catch(() => undefined);
      };
    });

  const close = async (): Promise<void> => {
    if (closed) {
      return;
    }
    closed = true;
    for (const follower of [...followers]) {
      follower.complete();
    }
    followers.clear();
    await client.dispose().catch(() => undefined);
  };

  return Promise.resolve(
    E.right({ append, readStream, readAll, follow, close }),
  );
};
