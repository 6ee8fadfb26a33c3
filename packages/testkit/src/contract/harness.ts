import type { EventStore, NewEvent, RecordedEvent } from '@rotor/core';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import type { Observable } from 'rxjs';

/**
 * A store opened for one test, and how to dispose of it. `cleanup` must
 * tolerate a store the suite has already closed.
 *
 * @category testing
 */
export interface OpenedEventStore {
  readonly store: EventStore;
  /**
   * Disposes of the store and whatever it used; must accept a store the suite
   * has already closed.
   */
  readonly cleanup: () => Promise<void>;
}

/**
 * Opens a fresh, empty store for each test of the contract suite.
 *
 * @category testing
 */
export type EventStoreFactory = () => Promise<OpenedEventStore>;

/** The store under test, as each contract section sees it. */
export interface ContractHarness {
  readonly store: () => EventStore;
}

/** A new event of the given type and data. */
export const event = (type: string, data: unknown = {}): NewEvent => ({
  type,
  data,
});

/** `n` events whose data carries their index and a tag. */
export const events = (n: number, tag = 'e'): NewEvent[] =>
  Array.from({ length: n }, (_, i) => event('Numbered', { tag, i }));

/** Every element of an async iterable, in order. */
export const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) {
    out.push(item);
  }

  return out;
};

/** The right side of an Either, or a test failure naming the left's tag. */
export const rightOf = <E extends { readonly _tag: string }, A>(
  either: Either<E, A>,
): A => {
  if (isLeft(either)) {
    throw new Error(`expected success, got ${either.left._tag}`);
  }

  return either.right;
};

/** The left side of an Either, or a test failure. */
export const leftOf = <E, A>(either: Either<E, A>): E => {
  if (!isLeft(either)) {
    throw new Error('expected a failure, got success');
  }

  return either.left;
};

/** The first `n` events of a follow, failing after `ms` milliseconds. */
export const firstN = (
  source: Observable<RecordedEvent>,
  n: number,
  ms = 10_000,
): Promise<RecordedEvent[]> =>
  firstValueFrom(source.pipe(take(n), timeout(ms), toArray()));

/** The global positions of some events, as numbers for readable diffs. */
export const positions = (recorded: ReadonlyArray<RecordedEvent>): number[] =>
  recorded.map((r) => Number(r.position));

/** Whether the positions of some events strictly increase. */
export const strictlyIncreasing = (
  recorded: ReadonlyArray<RecordedEvent>,
): boolean =>
  recorded.every((r, i) => {
    const before = recorded[i - 1];

    return before === undefined || before.position < r.position;
  });
