import type { Dependent, HostFacts } from './dependent.js';
import type {
  JobCounts,
  JobOptions,
  JobOutcome,
  Step,
  Target,
} from './events.js';
import type { Failure } from './failure.js';
import { machineAt, machineTableOf } from './jobStateMachines.js';
import type { Uid } from './uid.js';

/** What `RotationScheduled` fixed for the whole job. @category model */
export interface JobSpec {
  readonly jobId: Uid;
  readonly gatewayUid: Uid;
  readonly userUid: Uid;
  readonly targets: ReadonlyArray<Target>;
  readonly options: JobOptions;
  readonly by: string;
  readonly at: string;
}

/**
 * The account's password for this job: the version it was changed (or
 * found changed) to, or why changing it failed.
 *
 * @category model
 */
export type PasswordProgress =
  | {
      readonly status: 'changed';
      readonly secretVersion: number;
      readonly by: 'engine' | 'external';
    }
  | { readonly status: 'failed'; readonly error: Failure };

/**
 * What has happened to one dependent. A dependent with no progress yet has
 * not been touched. `failed` keeps the step, so a failed restart is still
 * known to hold the new password.
 *
 * @category model
 */
export type DependentProgress =
  | { readonly status: 'updated'; readonly secretVersion: number }
  | {
      readonly status: 'restarted';
      readonly dependentsRestarted: ReadonlyArray<string>;
      /**
       * Set when the service was not restarted on its own but with this
       * service of the same machine, whose restart stopped and started it
       * as a dependent (its `ServiceRestarted.dependentsRestarted`).
       */
      readonly with?: string;
    }
  | { readonly status: 'recycled' }
  | {
      readonly status: 'skipped';
      readonly reason: 'not-running' | 'deferred' | 'halted';
      /** For `halted`: how many times the job had been reopened then. */
      readonly round?: number;
    }
  | {
      readonly status: 'failed';
      readonly step: Step;
      readonly error: Failure;
    };

/** The snapshot `DependentsFound` took before any change. @category model */
export interface MachineSnapshot {
  readonly host: HostFacts;
  readonly dependents: ReadonlyArray<Dependent>;
}

/**
 * One machine of a job: its snapshot once enumerated, each dependent's
 * progress by {@link dependentKey}, and its failure if it failed.
 *
 * @category model
 */
export interface MachineProgress {
  readonly snapshot?: MachineSnapshot;
  readonly dependents: Readonly<Record<string, DependentProgress>>;
  readonly failed?: { readonly step: Step; readonly error: Failure };
}

/** How the job ended, as `JobFinished` says. @category model */
export interface JobEnd {
  readonly status: JobOutcome;
  readonly counts: JobCounts;
  readonly durationMs: number;
  readonly message: string;
  readonly at: string;
}

/**
 * A job as its events tell it, told apart by `status`: not scheduled yet;
 * scheduled (nothing done); running (the password step has an outcome); or
 * finished, which absorbs any later event but `JobReopened`.
 *
 * @category model
 */
export type JobState =
  | { readonly status: 'unscheduled' }
  | {
      readonly status: 'scheduled';
      readonly job: JobSpec;
      /** Set once a pre-flight passed (`preflight` jobs only). */
      readonly preflight?: 'passed';
    }
  | {
      readonly status: 'running';
      readonly job: JobSpec;
      readonly password: PasswordProgress;
      readonly machines: Readonly<Record<string, MachineProgress>>;
      /**
       * Set by `JobReopened` `restart`: deferred and halted restarts are
       * now due, whatever the job's `restart` option said.
       */
      readonly restartNow?: boolean;
      /** How many times the job was reopened. */
      readonly reopened?: number;
    }
  | {
      readonly status: 'finished';
      readonly job: JobSpec;
      readonly password?: PasswordProgress;
      readonly machines: Readonly<Record<string, MachineProgress>>;
      readonly end: JobEnd;
      readonly reopened?: number;
    };

/** The state before any event. @category model */
export const initialJobState: JobState = { status: 'unscheduled' };

/** A running job's state. @category model */
export type RunningJob = Extract<JobState, { status: 'running' }>;

/** A machine with nothing recorded yet. @category constructors */
export const emptyMachine: MachineProgress = { dependents: {} };

/**
 * The progress of one machine, empty when nothing was recorded. For a
 * state the reducer made, this reads the machine without building the
 * `machines` record, in time independent of the number of machines.
 *
 * @category utils
 */
export const machineOf = (
  state: { readonly machines: Readonly<Record<string, MachineProgress>> },
  machineUid: string,
): MachineProgress =>
  machineAt(machineTableOf(state), machineUid) ?? emptyMachine;
