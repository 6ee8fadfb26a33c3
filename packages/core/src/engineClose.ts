import { Observable } from 'rxjs';
import type { RecordedEvent } from './ports.js';

/**
 * An operator that closes the host once when the run ends, however it
 * ends (completion, error, unsubscription), and before the subscriber
 * hears of the end, so a caller that awaits the run finds the host closed.
 *
 * @category effects
 */
export const closingHost =
  (close: () => Promise<void>) =>
  (source: Observable<RecordedEvent>): Observable<RecordedEvent> =>
    new Observable<RecordedEvent>((subscriber) => {
      let closing: Promise<void> | undefined;
      const closeOnce = () => (closing ??= close().catch(() => undefined));
      const subscription = source.subscribe({
        next: (e) => subscriber.next(e),
        error: (error: unknown) =>
          void closeOnce().then(() => subscriber.error(error)),
        complete: () => void closeOnce().then(() => subscriber.complete()),
      });

      return () => {
        subscription.unsubscribe();
        void closeOnce();
      };
    });
