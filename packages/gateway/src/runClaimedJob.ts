import {
  isEngineError,
  silentLogger,
  type Engine,
  type EventStore,
  type Logger,
  type RecordedEvent,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import { claimJob, type ClaimError, type ClaimOptions } from './claimJob.js';

/**
 * How one claimed run of a job ended:
 *
 * - `Finished`: the engine completed the run (the job has its
 *   `JobFinished`);
 * - `NotClaimed`: the claim was not taken (another process won the race,
 *   the job is not claimable, or the store failed);
 * - `TakenOver`: another writer appended to the job stream (this process's
 *   lease ran out and another claimed it); nothing more was written;
 * - `Failed`: the engine stopped with an error (store or secret-store
 *   outage, an event that does not decode); the claim was released;
 * - `Abandoned`: `abandon()` stopped the run; the claim was released.
 *
 * @category model
 */
export type JobRunOutcome =
  | { readonly _tag: 'Finished'; readonly jobId: string }
  | {
      readonly _tag: 'NotClaimed';
      readonly jobId: string;
      readonly error: ClaimError;
    }
  | { readonly _tag: 'TakenOver'; readonly jobId: string }
  | {
      readonly _tag: 'Failed';
      readonly jobId: string;
      readonly message: string;
    }
  | { readonly _tag: 'Abandoned'; readonly jobId: string };

/** What {@link runClaimedJob} needs. @category model */
export interface RunClaimedOptions extends ClaimOptions {
  /** Builds the engine of this run over the claim's store view. */
  readonly engine: (store: EventStore) => Engine;
  /** How often the lease is renewed; a third of `leaseMs` when absent. */
  readonly renewMs?: number;
  readonly logger?: Logger;
  /** Called with each event the engine appends. */
  readonly onEvent?: (event: RecordedEvent) => void;
}

/** A claimed run in progress. @category model */
export interface JobRun {
  readonly jobId: string;
  /** Settles once the run has ended and its claim is renewed no more. */
  readonly outcome: Promise<JobRunOutcome>;
  /** Stops the run (the engine is unsubscribed) and releases the claim. */
  readonly abandon: () => void;
}

/**
 * Claims a job (see {@link claimJob}) and runs it with an engine built over
 * the claim's store view, renewing the lease every `renewMs` while it runs.
 * When a renewal meets another writer, or the lease runs out because the
 * store could not be reached, the run is stopped at once, since another
 * process may now hold the job.
 *
 * @category effects
 */
export const runClaimedJob = (options: RunClaimedOptions): JobRun => {
  const { jobId, clock } = options;
  const logger = options.logger ?? silentLogger;
  const renewMs = Math.max(1, options.renewMs ?? options.leaseMs / 3);
  let abandoned = false;
  let stopRun: ((outcome: JobRunOutcome) => void) | undefined;

  const outcome = (async (): Promise<JobRunOutcome> => {
    if (abandoned) {
      return { _tag: 'Abandoned', jobId };
    }
    const claimed = await claimJob(options);
    if (E.isLeft(claimed)) {
      logger.debug('gateway.job.not-claimed', {
        job: jobId,
        reason: claimed.left._tag,
      });

      return { _tag: 'NotClaimed', jobId, error: claimed.left };
    }
    const claim = claimed.right;
    logger.info('gateway.job.claimed', {
      job: jobId,
      process: options.processId,
    });
    let subscription: Subscription | undefined;
    let renewing = false;
    let timer: ReturnType<typeof setInterval> | undefined;

    const ended = await new Promise<JobRunOutcome>((resolve) => {
      let settled = false;
      const settle = (o: JobRunOutcome) => {
        if (!settled) {
          settled = true;
          clearInterval(timer);
          subscription?.unsubscribe();
          resolve(o);
        }
      };
      stopRun = settle;
      timer = setInterval(() => {
        if (renewing) {
          return;
        }
        renewing = true;
        void claim.renew().then((renewed) => {
          renewing = false;
          if (E.isRight(renewed)) {
            return;
          }
          if (renewed.left._tag === 'ClaimLost') {
            settle({ _tag: 'TakenOver', jobId });
          } else if (clock.now().getTime() >= claim.leaseUntil()) {
            logger.error('gateway.job.lease-expired', { job: jobId });
            settle({ _tag: 'TakenOver', jobId });
          } else {
            logger.warn('gateway.job.renew-failed', {
              job: jobId,
              reason: renewed.left._tag,
            });
          }
        });
      }, renewMs);
      subscription = options
        .engine(claim.store)
        .run(jobId)
        .subscribe({
          next: (e) => options.onEvent?.(e),
          complete: () => settle({ _tag: 'Finished', jobId }),
          error: (error: unknown) => {
            if (isEngineError(error) && error.failure._tag === 'JobTakenOver') {
              settle({ _tag: 'TakenOver', jobId });
            } else {
              settle({
                _tag: 'Failed',
                jobId,
                message: error instanceof Error ? error.message : 'failed',
              });
            }
          },
        });
      if (abandoned) {
        settle({ _tag: 'Abandoned', jobId });
      }
    });
    if (
      (ended._tag === 'Failed' || ended._tag === 'Abandoned') &&
      !claim.lost()
    ) {
      const released = await claim.release();
      logger.info('gateway.job.released', {
        job: jobId,
        ok: E.isRight(released),
      });
    }
    logger.info('gateway.job.ended', { job: jobId, outcome: ended._tag });

    return ended;
  })();

  return {
    jobId,
    outcome,
    abandon: () => {
      abandoned = true;
      stopRun?.({ _tag: 'Abandoned', jobId });
    },
  };
};
