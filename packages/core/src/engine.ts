import * as E from 'fp-ts/lib/Either.js';
import {
  asyncScheduler,
  concat,
  defer,
  from,
  mergeMap,
  type Observable,
  tap,
  throwError,
} from 'rxjs';
import { closingHost } from './engineClose.js';
import { finishPhase, machinesPhase, passwordPhase } from './enginePhases.js';
import {
  defaultParallel,
  defaultRetry,
  defaultStepTimeoutMs,
  type EngineDeps,
} from './engineDeps.js';
import {
  machineIn,
  passwordCache,
  userIn,
  type RunContext,
} from './engineContext.js';
import { EngineError, isEngineError } from './engineError.js';
import { createJournal, type Journal } from './engineJournal.js';
import { loadJob } from './engineLoad.js';
import { jobStream } from './events.js';
import type { JobSpec, JobState } from './jobState.js';
import {
  defaultPasswordPolicy,
  describePasswordPolicyInvalid,
  passwordGenerator,
} from './password.js';
import { silentLogger, type RecordedEvent } from './ports.js';

/**
 * Runs rotation jobs. Built by {@link createEngine}.
 *
 * @category model
 */
export interface Engine {
  /**
   * Runs, or resumes, the job whose `RotationScheduled` is in stream
   * `job-<jobId>`, and emits each event it appends as it is written. The
   * run starts on subscription and completes after `JobFinished`; a job
   * that is already finished completes at once with nothing emitted.
   * Domain failures are events; the Observable errors only with an
   * {@link EngineError} (job not found, taken over by another process,
   * store or secret-store outage) or a programmer error.
   */
  readonly run: (jobId: string) => Observable<RecordedEvent>;
  /** The job's state replayed from its stream, for inspection. */
  readonly state: (jobId: string) => Promise<JobState>;
}

/**
 * An {@link Engine} over the given ports. The run of a job:
 *
 * 1. replays `job-<jobId>` through `evolveJob`;
 * 2. carries out the password action `plan` gives, if any;
 * 3. works on every machine with actions left, up to `parallel` at once,
 *    each machine's actions strictly in order (enumerate, update all,
 *    restart or recycle), re-planning after each outcome;
 * 4. records `JobFinished`.
 *
 * Throws a `RangeError` when `passwordPolicy` cannot be met (a
 * configuration error; check it with `checkPasswordPolicy` first).
 *
 * Every outcome is appended as it happens, one at a time, at the expected
 * revision; an append refused because another process wrote to the job
 * stops the run with `JobTakenOver` and nothing more is done.
 *
 * @category constructors
 */
export const createEngine = (deps: EngineDeps): Engine => {
  const logger = deps.logger ?? silentLogger;
  const step = {
    timeoutMs: deps.stepTimeoutMs ?? defaultStepTimeoutMs,
    retry: deps.retry ?? defaultRetry,
    scheduler: deps.scheduler ?? asyncScheduler,
    logger,
  };
  const parallel = Math.max(1, deps.parallel ?? defaultParallel);
  const generator = passwordGenerator(
    deps.passwordPolicy ?? defaultPasswordPolicy,
    deps.random,
  );
  if (E.isLeft(generator)) {
    // A policy is configuration, checked before an engine is built.
    throw new RangeError(describePasswordPolicyInvalid(generator.left));
  }
  const newPassword = generator.right;

  const context = (job: JobSpec, journal: Journal): RunContext => ({
    job,
    journal,
    step,
    host: deps.host,
    secrets: deps.secrets,
    rotator: deps.rotator,
    clock: deps.clock,
    logger,
    newPassword,
    machine: machineIn(deps.inventory),
    user: () => userIn(deps.inventory)(job.userUid),
    password: passwordCache(job.jobId, job.userUid, deps.secrets),
  });

  const runLoaded = (
    jobId: string,
    loaded: Awaited<ReturnType<typeof loadJob>>,
  ): Observable<RecordedEvent> => {
    const { state, expected } = loaded;
    if (state.status === 'unscheduled') {
      return throwError(() => new EngineError({ _tag: 'JobNotFound', jobId }));
    }
    const journal = createJournal({
      jobId,
      store: deps.store,
      stream: jobStream(jobId),
      clock: deps.clock,
      state,
      expected,
    });
    const ctx = context(state.job, journal);
    logger.info('engine.job.started', { job: jobId, status: state.status });

    return concat(
      passwordPhase(ctx),
      machinesPhase(ctx, parallel),
      finishPhase(ctx),
    ).pipe(
      tap({
        next: (e) => {
          const failed =
            e.type === 'MachineFailed' || e.type === 'DependentFailed';
          (failed ? logger.warn : logger.debug)('engine.job.recorded', {
            job: jobId,
            type: e.type,
            revision: e.revision,
          });
        },
        error: (error: unknown) =>
          logger.error('engine.job.stopped', {
            job: jobId,
            reason: isEngineError(error) ? error.failure._tag : 'Unexpected',
          }),
      }),
    );
  };

  const run = (jobId: string): Observable<RecordedEvent> => {
    const job = defer(() =>
      from(loadJob(deps.store, jobId, jobStream(jobId))),
    ).pipe(mergeMap((loaded) => runLoaded(jobId, loaded)));

    return deps.closeHost === false
      ? job
      : job.pipe(closingHost(() => deps.host.close()));
  };

  const state = async (jobId: string): Promise<JobState> =>
    (await loadJob(deps.store, jobId, jobStream(jobId))).state;

  return { run, state };
};
