import * as E from 'fp-ts/lib/Either.js';
import type { CommandMeta, Decision } from './decideTypes.js';
import type { JobReopened } from './events.js';
import { jobStream } from './events.js';
import type { ActiveJob } from './gatewayState.js';
import type { JobState } from './jobState.js';
import { evolveJob } from './jobStateEvolve.js';
import { plan } from './plan.js';
import { isMachineAction } from './planAction.js';
import type { ExpectedRevision } from './ports.js';

/**
 * Reopen a finished job: `restart` does the restarts that were deferred
 * (`--no-restart`) or halted (a canary's logon failure), and the restarts
 * and recycles that failed; `retry` does again every dependent and machine
 * that failed, with the job's password. Both append to the job's stream.
 *
 * @category commands
 */
export interface ReopenJob extends CommandMeta {
  readonly type: 'ReopenJob';
  readonly jobId: string;
  readonly purpose: 'restart' | 'retry';
}

/**
 * Why a job cannot be reopened. `PasswordSuperseded`: the user's password
 * was changed again since (a later job or by hand), so the job's password
 * must not be written anywhere. `UserBusy`: another job of the user runs.
 *
 * @category model
 */
export type ReopenError =
  | { readonly _tag: 'JobNotFound'; readonly jobId: string }
  | { readonly _tag: 'JobStillRunning'; readonly jobId: string }
  | { readonly _tag: 'PasswordNotChanged'; readonly jobId: string }
  | {
      readonly _tag: 'PasswordSuperseded';
      readonly jobId: string;
      readonly jobVersion: number;
      readonly currentVersion: number;
    }
  | {
      readonly _tag: 'UserBusy';
      readonly jobId: string;
      readonly runningJobId: string;
    }
  | {
      readonly _tag: 'NothingToDo';
      readonly jobId: string;
      readonly purpose: 'restart' | 'retry';
    };

/** What {@link decideReopen} reads besides the job. @category commands */
export interface ReopenContext {
  /** The job stream's last revision, as replayed. */
  readonly expected: ExpectedRevision;
  /** The user's current password version in the secret store. */
  readonly currentVersion?: number;
  /** The user's running job on the gateway, if any. */
  readonly activeJob?: ActiveJob;
}

/**
 * Decides a {@link ReopenJob}: one `JobReopened` to append to the job's
 * stream at its revision, or why not. Refused, in this order: an unknown
 * job; a job not finished; a job whose password was not changed (nothing
 * was touched; schedule a new rotation); another job of the user running;
 * a password superseded since; and a job with nothing to restart or retry.
 *
 * @category deciders
 */
export const decideReopen = (
  command: ReopenJob,
  state: JobState,
  context: ReopenContext,
): E.Either<ReopenError, Decision> => {
  const { jobId, purpose } = command;
  if (state.status === 'unscheduled') {
    return E.left({ _tag: 'JobNotFound', jobId });
  }
  if (state.status !== 'finished') {
    return E.left({ _tag: 'JobStillRunning', jobId });
  }
  const password = state.password;
  if (password === undefined || password.status !== 'changed') {
    return E.left({ _tag: 'PasswordNotChanged', jobId });
  }
  const running = context.activeJob;
  if (running !== undefined && running.jobId !== state.job.jobId) {
    return E.left({ _tag: 'UserBusy', jobId, runningJobId: running.jobId });
  }
  if (
    context.currentVersion !== undefined &&
    context.currentVersion !== password.secretVersion
  ) {
    return E.left({
      _tag: 'PasswordSuperseded',
      jobId,
      jobVersion: password.secretVersion,
      currentVersion: context.currentVersion,
    });
  }
  const event: JobReopened = {
    type: 'JobReopened',
    data: {
      jobId: state.job.jobId,
      gatewayUid: state.job.gatewayUid,
      userUid: state.job.userUid,
      purpose,
      by: command.by,
      at: command.at,
    },
  };
  if (!plan(evolveJob(state, event)).some(isMachineAction)) {
    return E.left({ _tag: 'NothingToDo', jobId, purpose });
  }

  return E.right({
    stream: jobStream(state.job.jobId),
    expected: context.expected,
    events: [event],
    warnings: [],
    jobId: state.job.jobId,
  });
};

/**
 * One line for a human about a {@link ReopenError}.
 *
 * @category destructors
 */
export const describeReopenError = (e: ReopenError): string => {
  switch (e._tag) {
    case 'JobNotFound':
      return `no job ${e.jobId}`;
    case 'JobStillRunning':
      return `job ${e.jobId} has not finished: wait for it to end, or, if the process that ran it was interrupted, rotate its user again (rotor rotate -r <user>) to resume it`;
    case 'PasswordNotChanged':
      return `job ${e.jobId} did not change the password, so it touched nothing; schedule a new rotation`;
    case 'UserBusy':
      return `the user of job ${e.jobId} has job ${e.runningJobId} running; wait for it to end`;
    case 'PasswordSuperseded':
      return `the password of job ${e.jobId} (version ${e.jobVersion}) was replaced since (version ${e.currentVersion}); rotate again instead`;
    case 'NothingToDo':
      return e.purpose === 'restart'
        ? `job ${e.jobId} has no deferred, halted or failed restart to do`
        : `job ${e.jobId} has no failed dependent or machine to retry`;
  }
};
