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
import {
  finishPhase,
  machinesPhase,
  passwordPhase,
  preflightPhase,
} from './enginePhases.js';
import {
  createRestartGate,
  defaultLogonFailureBudget,
  isLogonFailure,
} from './engineGate.js';
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
import { decideReopen, type ReopenError, type ReopenJob } from './decideJob.js';
import { jobStream } from './events.js';
import type { ActiveJob } from './gatewayState.js';
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
  /**
   * Reopens a finished job for its deferred and halted restarts (`restart`)
   * or for what failed (`retry`), with the job's password: checks it with
   * `decideReopen` (the user's current secret version must still be the
   * job's) and appends `JobReopened`. Then `run(jobId)` does the work and
   * appends to the same job. Rejects with an {@link EngineError} when the
   * store or the secret store fails.
   */
  readonly reopen: (
    command: ReopenJob,
    activeJob?: ActiveJob,
  ) => Promise<E.Either<ReopenError, void>>;
}

/**
 * An {@link Engine} over the given ports. The run of a job:
 *
 * 1. replays `job-<jobId>` through `evolveJob`;
 * 2. for a `preflight` job, surveys every target first (`Preflight`);
 * 3. carries out the password action `plan` gives, if any;
 * 4. works on every machine with actions left, up to `parallel` at once,
 *    each machine's actions strictly in order (enumerate, update all,
 *    restart or recycle), re-planning after each outcome; restarts go
 *    through a gate shared by the run: the first alone (the canary), the
 *    rest within a failed-logon budget, after which they are halted;
 * 5. records `JobFinished`.
 *
 * Throws a `RangeError` when `passwordPolicy` cannot be met (a
 * configuration error; check it with `checkPasswordPolicy` first), or when
 * `logonFailureBudget` is not under `lockoutThreshold`.
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
  const budget = deps.logonFailureBudget ?? defaultLogonFailureBudget;
  if (
    !Number.isInteger(budget) ||
    budget < 1 ||
    (deps.lockoutThreshold !== undefined &&
      deps.lockoutThreshold > 0 &&
      budget >= deps.lockoutThreshold)
  ) {
    throw new RangeError(
      `the failed-logon budget (${budget}) must be a whole number of at least 1 and under the lockout threshold (${String(deps.lockoutThreshold ?? 'unknown')})`,
    );
  }

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
    restartGate: createRestartGate({
      budget,
      isLogonFailure: deps.isLogonFailure ?? isLogonFailure,
    }),
    restartBudget: budget,
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
      preflightPhase(ctx, parallel),
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

  const reopen: Engine['reopen'] = async (command, activeJob) => {
    const { jobId } = command;
    const loaded = await loadJob(deps.store, jobId, jobStream(jobId));
    let currentVersion: number | undefined;
    if (loaded.state.status !== 'unscheduled') {
      const current = await deps.secrets.current(loaded.state.job.userUid);
      if (E.isLeft(current) && current.left.code !== 'NotFound') {
        throw new EngineError({
          _tag: 'SecretStoreFailed',
          jobId,
          message: `${current.left.code}: ${current.left.message}`,
        });
      }
      currentVersion = E.isRight(current) ? current.right.version : undefined;
    }
    const decided = decideReopen(command, loaded.state, {
      expected: loaded.expected,
      ...(currentVersion === undefined ? {} : { currentVersion }),
      ...(activeJob === undefined ? {} : { activeJob }),
    });
    if (E.isLeft(decided)) {
      return decided;
    }
    const { stream, events, expected } = decided.right;
    const appended = await deps.store.append(stream, events, expected);
    if (E.isLeft(appended)) {
      const error = appended.left;
      throw new EngineError(
        error._tag === 'WrongExpectedRevision'
          ? { ...error, _tag: 'JobTakenOver', jobId }
          : { _tag: 'StoreFailed', jobId, message: error.message },
      );
    }
    logger.info('engine.job.reopened', {
      job: jobId,
      purpose: command.purpose,
    });

    return E.right(undefined);
  };

  return { run, state, reopen };
};
