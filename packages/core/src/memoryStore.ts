// Over 200 lines: one closure holds the log, the streams and the followers,
// and its invariants (positions without gaps, followers in order) read best
// in one place.
import * as E from 'fp-ts/lib/Either.js';
import { Observable } from 'rxjs';
import { systemClock } from './clock.js';
import type {
  AppendResult,
  Clock,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StoreError,
} from './ports.js';

/** Options of {@link createMemoryEventStore}. @category constructors */
export interface MemoryEventStoreOptions {
  /** Stamps `recordedAt`; the system clock when absent. */
  readonly clock?: Clock;
}

type Check = (last: number | undefined) => boolean;

const checks: Record<Exclude<ExpectedRevision, number>, Check> = {
  any: () => true,
  'no-stream': (last) => last === undefined,
  'stream-exists': (last) => last !== undefined,
};

const satisfies = (expected: ExpectedRevision, last: number | undefined) =>
  typeof expected === 'number' ? last === expected : checks[expected](last);

// Data goes through JSON on the way in and on the way out, so no caller can
// change history by mutating an object it wrote or read.
const copyData = (data: unknown): unknown =>
  JSON.parse((JSON.stringify(data) as string | undefined) ?? 'undefined');

const copy = (e: RecordedEvent): RecordedEvent => ({
  ...e,
  data: copyData(e.data),
});

const keeps = (options: ReadAllOptions) => {
  const prefixes = options.streamPrefixes;

  return (e: RecordedEvent): boolean =>
    prefixes === undefined || prefixes.some((p) => e.stream.startsWith(p));
};

// Positions are 1, 2, 3, … so the first event after position p sits at
// index p of the global log.
const startIndex = (after: bigint | undefined): number =>
  after === undefined || after < 0n ? 0 : Number(after);

/**
 * An {@link EventStore} held in memory: for tests, demos and embedding
 * where nothing must survive the process.
 *
 * - `append` is atomic and checks the expected revision; a mismatch is a
 *   `WrongExpectedRevision` with the stream's actual last revision (or
 *   `no-stream`) and nothing is written. Appending no events only checks
 *   the expectation and reports the stream's last revision (-1 when it has
 *   none) and the store's last position.
 * - Global positions start at `1n` and have no gaps.
 * - Event data must be plain JSON; anything else is `StoreFailed`. Stored
 *   and returned data are deep copies.
 * - `follow` replays stored events after the given position, then emits
 *   new ones as they are appended, in order, never skipping one, even when
 *   a subscriber appends from inside its own callback.
 * - After `close`, appends fail with `StoreUnavailable` and followers
 *   complete.
 *
 * @category constructors
 */
export const createMemoryEventStore = (
  options: MemoryEventStoreOptions = {},
): EventStore => {
  const clock = options.clock ?? systemClock;
  const log: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const listeners = new Set<() => void>();
  let closed = false;

  const encode = (
    events: ReadonlyArray<NewEvent>,
  ): E.Either<StoreError, ReadonlyArray<unknown>> =>
    E.tryCatch(
      () => events.map((e) => copyData(e.data)),
      () => ({
        _tag: 'StoreFailed',
        message: 'event data is not plain JSON',
      }),
    );

  const append: EventStore['append'] = (stream, events, expected) => {
    if (closed) {
      return Promise.resolve(
        E.left({ _tag: 'StoreUnavailable', message: 'store is closed' }),
      );
    }
    const existing = streams.get(stream) ?? [];
    const last = existing.at(-1)?.revision;
    if (!satisfies(expected, last)) {
      const actual = last ?? 'no-stream';

      return Promise.resolve(
        E.left({ _tag: 'WrongExpectedRevision', stream, expected, actual }),
      );
    }
    const encoded = encode(events);
    if (E.isLeft(encoded)) {
      return Promise.resolve(encoded);
    }
    const recordedAt = clock.now().toISOString();
    const base = existing.length;
    const written = events.map((e, i): RecordedEvent => ({
      stream,
      revision: base + i,
      position: BigInt(log.length + i + 1),
      type: e.type,
      data: encoded.right[i],
      recordedAt,
    }));
    // In place: copying the stream on every append made a long job's
    // appends cost the square of its length. Readers take the length they
    // started with, so they still see the stream as it was.
    if (existing.length === 0) {
      streams.set(stream, written);
    } else {
      existing.push(...written);
    }
    log.push(...written);
    const result: AppendResult = {
      revision: base + written.length - 1,
      position: BigInt(log.length),
    };
    for (const notify of [...listeners]) {
      notify();
    }

    return Promise.resolve(E.right(result));
  };

  async function* readStream(
    stream: string,
    readOptions: { readonly fromRevision?: number } = {},
  ): AsyncGenerator<RecordedEvent> {
    const events = streams.get(stream) ?? [];
    const end = events.length;
    for (let i = Math.max(0, readOptions.fromRevision ?? 0); i < end; i++) {
      const e = events[i];
      if (e === undefined) {
        return;
      }
      yield copy(e);
    }
  }

  async function* readAll(
    readOptions: ReadAllOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    const keep = keeps(readOptions);
    const end = log.length;
    for (let i = startIndex(readOptions.after); i < end; i++) {
      const e = log[i];
      if (e !== undefined && keep(e)) {
        yield copy(e);
      }
    }
  }

  const follow = (readOptions: ReadAllOptions = {}) =>
    new Observable<RecordedEvent>((subscriber) => {
      const keep = keeps(readOptions);
      let cursor = startIndex(readOptions.after);
      let draining = false;
      // One loop emits everything: the replay, and each batch appended
      // later. An append made while the loop runs (from a subscriber's own
      // callback) is picked up by the running loop, not a nested one, so
      // order holds.
      const drain = () => {
        if (draining) {
          return;
        }
        draining = true;
        while (!subscriber.closed && cursor < log.length) {
          const e = log[cursor++];
          if (e !== undefined && keep(e)) {
            subscriber.next(copy(e));
          }
        }
        draining = false;
        if (closed) {
          subscriber.complete();
        }
      };
      listeners.add(drain);
      drain();

      return () => {
        listeners.delete(drain);
      };
    });

  const close = () => {
    closed = true;
    for (const notify of [...listeners]) {
      notify();
    }
    listeners.clear();

    return Promise.resolve();
  };

  return { append, readStream, readAll, follow, close };
};
