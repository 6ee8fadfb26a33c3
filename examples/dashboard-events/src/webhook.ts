import {
  concatMap,
  from,
  takeWhile,
  type Observable,
  type OperatorFunction,
} from 'rxjs';
import type { RecordedEvent } from '@rotor/core';

/** What the dashboard receives for each event: identifiers and the event. */
export interface WebhookBody {
  readonly stream: string;
  readonly revision: number;
  /** The store's global position, as a string (JSON has no bigint). */
  readonly position: string;
  readonly type: string;
  readonly data: unknown;
}

/** The body of one event. Event data never holds a password. */
export const bodyOf = (event: RecordedEvent): WebhookBody => ({
  stream: event.stream,
  revision: event.revision,
  position: event.position.toString(),
  type: event.type,
  data: event.data,
});

/**
 * POSTs each event to `url` as JSON, one at a time and in order (a
 * dashboard may rely on revisions arriving in sequence), and emits the
 * HTTP status of each. A POST that fails is emitted as status 0: the
 * dashboard can fill the gap by reading the store from the last position
 * it saw, so the feed goes on rather than ending.
 */
export const postEach =
  (url: string): OperatorFunction<RecordedEvent, number> =>
  (events: Observable<RecordedEvent>) =>
    events.pipe(
      concatMap((event) =>
        from(
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(bodyOf(event)),
          }).then(
            (response) => response.status,
            () => 0,
          ),
        ),
      ),
    );

/** Events up to and including the job's `JobFinished`. */
export const untilFinished = (): OperatorFunction<
  RecordedEvent,
  RecordedEvent
> => takeWhile((event) => event.type !== 'JobFinished', true);
