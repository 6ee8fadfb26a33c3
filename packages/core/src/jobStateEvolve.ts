import { dependentKey } from './dependent.js';
import type { DependentKind } from './dependent.js';
import type { JobEvent } from './events.js';
import type {
  DependentProgress,
  JobState,
  MachineProgress,
  RunningJob,
} from './jobState.js';
import { initialJobState, machineOf } from './jobState.js';

type Running = RunningJob;

const withMachine = (
  state: Running,
  machineUid: string,
  change: (machine: MachineProgress) => MachineProgress,
): Running => ({
  ...state,
  machines: {
    ...state.machines,
    [machineUid]: change(machineOf(state, machineUid)),
  },
});

const withDependent = (
  state: Running,
  machineUid: string,
  ref: { readonly kind: DependentKind; readonly name: string },
  progress: DependentProgress,
): Running =>
  withMachine(state, machineUid, (machine) => ({
    ...machine,
    dependents: { ...machine.dependents, [dependentKey(ref)]: progress },
  }));

// Events about machines and dependents only mean something once the
// password step has an outcome; before that they are ignored, which keeps
// the reducer total without inventing a password.
const evolveRunning = (state: Running, event: JobEvent): JobState => {
  switch (event.type) {
    case 'RotationScheduled':
    case 'PasswordChanged':
    case 'PasswordChangeFailed':
    case 'PreflightPassed':
    case 'PreflightFailed':
    case 'JobReopened':
    case 'JobClaimed':
    case 'JobClaimRenewed':
    case 'JobClaimReleased':
      return state;
    case 'ServiceRestartHalted':
    case 'AppPoolRecycleHalted': {
      const { machineUid, dependent } = event.data;
      const kind = event.type === 'ServiceRestartHalted' ? 'service' : 'iis';

      return withDependent(
        state,
        machineUid,
        { kind, name: dependent },
        { status: 'skipped', reason: 'halted', round: state.reopened ?? 0 },
      );
    }
    case 'DependentsFound': {
      const { machineUid, host, dependents } = event.data;

      // The first snapshot is the one taken before any change; a later one
      // must not widen what gets restarted.
      return machineOf(state, machineUid).snapshot === undefined
        ? withMachine(state, machineUid, (m) => ({
            ...m,
            snapshot: { host, dependents },
          }))
        : state;
    }
    case 'ServiceCredentialUpdated':
    case 'TaskCredentialUpdated':
    case 'AppPoolCredentialUpdated': {
      const { machineUid, dependent, secretVersion } = event.data;

      return withDependent(
        state,
        machineUid,
        { kind: credentialKind[event.type], name: dependent },
        { status: 'updated', secretVersion },
      );
    }
    case 'ServiceRestarted': {
      const { machineUid, dependent, dependentsRestarted } = event.data;

      return withDependent(
        state,
        machineUid,
        { kind: 'service', name: dependent },
        { status: 'restarted', dependentsRestarted },
      );
    }
    case 'ServiceRestartSkipped': {
      const { machineUid, dependent, reason } = event.data;

      return withDependent(
        state,
        machineUid,
        { kind: 'service', name: dependent },
        { status: 'skipped', reason },
      );
    }
    case 'AppPoolRecycled': {
      const { machineUid, dependent } = event.data;

      return withDependent(
        state,
        machineUid,
        { kind: 'iis', name: dependent },
        { status: 'recycled' },
      );
    }
    case 'DependentFailed': {
      const { machineUid, dependent, kind, step, error } = event.data;

      return withDependent(
        state,
        machineUid,
        { kind, name: dependent },
        { status: 'failed', step, error },
      );
    }
    case 'MachineFailed': {
      const { machineUid, step, error } = event.data;

      return withMachine(state, machineUid, (m) =>
        m.failed === undefined ? { ...m, failed: { step, error } } : m,
      );
    }
    case 'JobFinished':
      return finish(state, event);
  }
};

const credentialKind = {
  ServiceCredentialUpdated: 'service',
  TaskCredentialUpdated: 'task',
  AppPoolCredentialUpdated: 'iis',
} as const;

const finish = (
  state: Extract<JobState, { status: 'scheduled' | 'running' }>,
  event: Extract<JobEvent, { type: 'JobFinished' }>,
): JobState => {
  const { status, counts, durationMs, message, at } = event.data;

  const reopened = state.status === 'running' ? state.reopened : undefined;

  return {
    status: 'finished',
    job: state.job,
    ...(state.status === 'running' ? { password: state.password } : {}),
    machines: state.status === 'running' ? state.machines : {},
    end: { status, counts, durationMs, message, at },
    ...(reopened === undefined ? {} : { reopened }),
  };
};

// A reopened job forgets what failed, so the plan does it again. A dependent
// that failed at its restart or recycle is back to `updated` (its
// credential was written); with `all` (a retry) a machine's failure goes and
// a dependent that failed before its credential was written has no progress
// again.
const forgetFailures = (
  machines: Readonly<Record<string, MachineProgress>>,
  secretVersion: number,
  all: boolean,
): Record<string, MachineProgress> =>
  Object.fromEntries(
    Object.entries(machines).map(([uid, m]) => {
      const dependents: Record<string, DependentProgress> = {};
      for (const [key, p] of Object.entries(m.dependents)) {
        if (p.status !== 'failed') {
          dependents[key] = p;
        } else if (p.step === 'restart' || p.step === 'recycle') {
          dependents[key] = { status: 'updated', secretVersion };
        } else if (!all) {
          dependents[key] = p;
        }
      }
      const failed = all ? undefined : m.failed;
      const machine: MachineProgress = {
        ...(m.snapshot === undefined ? {} : { snapshot: m.snapshot }),
        dependents,
        ...(failed === undefined ? {} : { failed }),
      };

      return [uid, machine];
    }),
  );

const reopen = (
  state: Extract<JobState, { status: 'finished' }>,
  event: Extract<JobEvent, { type: 'JobReopened' }>,
): JobState => {
  const password = state.password;
  if (password === undefined || password.status !== 'changed') {
    return state;
  }
  const reopened = (state.reopened ?? 0) + 1;
  const base = { status: 'running' as const, job: state.job, password };

  return event.data.purpose === 'retry'
    ? {
        ...base,
        machines: forgetFailures(state.machines, password.secretVersion, true),
        // A retry also does the restarts a halt left.
        restartNow: state.job.options.restart,
        reopened,
      }
    : {
        ...base,
        machines: forgetFailures(state.machines, password.secretVersion, false),
        restartNow: true,
        reopened,
      };
};

const preflightFailed = (
  state: Extract<JobState, { status: 'scheduled' }>,
  event: Extract<JobEvent, { type: 'PreflightFailed' }>,
): JobState => {
  const { failures } = event.data;
  const machines: Record<string, MachineProgress> = {};
  for (const f of failures) {
    machines[f.machineUid] = {
      dependents: {},
      failed: { step: f.step, error: f.error },
    };
  }
  const names = failures.map((f) => f.error.code).join(', ');

  return {
    status: 'running',
    job: state.job,
    password: {
      status: 'failed',
      error: {
        code: 'PreflightFailed',
        message: `${failures.length} machine(s) failed the pre-flight (${names})`,
        transient: false,
      },
    },
    machines,
  };
};

const evolveScheduled = (
  state: Extract<JobState, { status: 'scheduled' }>,
  event: JobEvent,
): JobState => {
  if (event.type === 'PasswordChanged') {
    const { secretVersion, by } = event.data;

    return {
      status: 'running',
      job: state.job,
      password: { status: 'changed', secretVersion, by },
      machines: {},
    };
  }
  if (event.type === 'PasswordChangeFailed') {
    return {
      status: 'running',
      job: state.job,
      password: { status: 'failed', error: event.data.error },
      machines: {},
    };
  }

  if (event.type === 'PreflightPassed') {
    return { ...state, preflight: 'passed' };
  }
  if (event.type === 'PreflightFailed') {
    return preflightFailed(state, event);
  }

  return event.type === 'JobFinished' ? finish(state, event) : state;
};

/**
 * Applies one job event to a job state. Pure and total: an event that makes
 * no sense in the current state (a second `RotationScheduled`, a dependent
 * event before the password step, anything after `JobFinished` but a
 * `JobReopened` of a job whose password was changed) leaves the state as it
 * is.
 *
 * @category reducers
 */
export const evolveJob = (state: JobState, event: JobEvent): JobState => {
  switch (state.status) {
    case 'unscheduled':
      return event.type === 'RotationScheduled'
        ? { status: 'scheduled', job: event.data }
        : state;
    case 'scheduled':
      return evolveScheduled(state, event);
    case 'running':
      return evolveRunning(state, event);
    case 'finished':
      return event.type === 'JobReopened' ? reopen(state, event) : state;
  }
};

/**
 * The state a sequence of job events leads to from
 * {@link initialJobState}.
 *
 * @category reducers
 */
export const foldJob = (events: Iterable<JobEvent>): JobState => {
  let state = initialJobState;
  for (const event of events) {
    state = evolveJob(state, event);
  }

  return state;
};
