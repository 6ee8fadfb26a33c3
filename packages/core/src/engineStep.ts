import * as E from 'fp-ts/lib/Either.js';
import {
  catchError,
  defer,
  from,
  mergeMap,
  type Observable,
  of,
  retry,
  type SchedulerLike,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { LogAttributes, Logger } from './ports.js';

/**
 * How the engine retries a step that failed transiently: at most
 * `attempts` tries in all, waiting `baseDelayMs`, then twice as long each
 * time, never more than `maxDelayMs`.
 *
 * @category model
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** What every remote step shares. @category model */
export interface StepContext {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
}

/**
 * The wait before retry number `n` (1 for the first retry).
 *
 * @category utils
 */
export const backoffDelay = (policy: RetryPolicy, n: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));

// Carries a transient failure through RxJS's retry, which only retries
// errors; it never leaves this module.
class Transient<L> {
  constructor(readonly result: E.Left<L>) {}
}

/** One remote step: what to call, and how to read its failures. */
export interface StepSpec<L, A> {
  /** A stable name for logs, e.g. `update`. */
  readonly name: string;
  readonly attributes: LogAttributes;
  readonly call: () => Promise<E.Either<L, A>>;
  readonly failureOf: (error: L) => Failure;
  /** The failure to report when the step outlives its timeout. */
  readonly timedOut: (failure: Failure) => L;
}

/**
 * Runs one remote step with a timeout on each try, and retries with
 * exponential backoff while the failure is transient. Emits one `Either`
 * and completes: a domain failure is a `left`, never an error; a rejected
 * promise (a programmer error or a broken adapter) is the Observable's
 * error.
 *
 * @category effects
 */
export const remoteStep = <L, A>(
  context: StepContext,
  spec: StepSpec<L, A>,
): Observable<E.Either<L, A>> => {
  const { timeoutMs, retry: policy, scheduler, logger } = context;
  const tooLong = failure(
    'Timeout',
    `step ${spec.name} took longer than ${timeoutMs} ms`,
    { transient: true },
  );

  return defer(() => from(spec.call())).pipe(
    timeout({
      first: timeoutMs,
      scheduler,
      with: () => of(E.left(spec.timedOut(tooLong))),
    }),
    mergeMap((result) =>
      E.isLeft(result) && spec.failureOf(result.left).transient
        ? throwError(() => new Transient(result))
        : of(result),
    ),
    retry({
      count: Math.max(0, policy.attempts - 1),
      delay: (error: unknown, n) => {
        if (!(error instanceof Transient)) {
          return throwError(() => error);
        }
        logger.warn('engine.step.retrying', {
          ...spec.attributes,
          step: spec.name,
          attempt: n,
          code: spec.failureOf((error as Transient<L>).result.left).code,
        });

        return timer(backoffDelay(policy, n), scheduler);
      },
    }),
    catchError((error: unknown) =>
      error instanceof Transient
        ? of((error as Transient<L>).result)
        : throwError(() => error),
    ),
  );
};
