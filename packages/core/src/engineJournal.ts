import * as E from 'fp-ts/lib/Either.js';
import { defer, from, type Observable } from 'rxjs';
import { EngineError } from './engineError.js';
import type { JobEvent } from './events.js';
import type { JobState } from './jobState.js';
import { evolveJob } from './jobStateEvolve.js';
import type {
  Clock,
  EventStore,
  ExpectedRevision,
  RecordedEvent,
} from './ports.js';

/**
 * A running job's view of its stream: the state folded so far, and an
 * append that records one event at the expected revision and then folds it.
 *
 * @category model
 */
export interface Journal {
  readonly state: () => JobState;
  readonly append: (event: JobEvent) => Observable<RecordedEvent>;
}

/** What {@link createJournal} starts from. */
export interface JournalOptions {
  readonly jobId: string;
  readonly store: EventStore;
  readonly stream: string;
  readonly clock: Clock;
  readonly state: JobState;
  readonly expected: ExpectedRevision;
}

/**
 * A {@link Journal}. Appends are serialized: each waits for the one before,
 * so the expected revision is always the last one written. After the first
 * refused append (another writer, or the store failing) every later append
 * fails with the same error, so no step's outcome is written after a gap.
 *
 * @category constructors
 */
export const createJournal = (options: JournalOptions): Journal => {
  const { jobId, store, stream, clock } = options;
  let state = options.state;
  let expected = options.expected;
  let broken: EngineError | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const write = async (event: JobEvent): Promise<RecordedEvent> => {
    if (broken !== undefined) {
      throw broken;
    }
    const result = await store.append(stream, [event], expected);
    if (E.isLeft(result)) {
      const error = result.left;
      broken = new EngineError(
        error._tag === 'WrongExpectedRevision'
          ? { ...error, _tag: 'JobTakenOver', jobId }
          : { _tag: 'StoreFailed', jobId, message: error.message },
      );
      throw broken;
    }
    expected = result.right.revision;
    state = evolveJob(state, event);

    // NOTE: recordedAt is the engine's clock, not read back from the store;
    // it is for progress display only.
    return {
      stream,
      revision: result.right.revision,
      position: result.right.position,
      type: event.type,
      data: event.data,
      recordedAt: clock.now().toISOString(),
    };
  };

  const append = (event: JobEvent): Observable<RecordedEvent> =>
    defer(() => {
      const next = tail.then(() => write(event));
      tail = next.catch(() => undefined);

      return from(next);
    });

  return { state: () => state, append };
};
