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
      return state;
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

  return {
    status: 'finished',
    job: state.job,
    ...(state.status === 'running' ? { password: state.password } : {}),
    machines: state.status === 'running' ? state.machines : {},
    end: { status, counts, durationMs, message, at },
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

  return event.type === 'JobFinished' ? finish(state, event) : state;
};

/**
 * Applies one job event to a job state. Pure and total: an event that makes
 * no sense in the current state (a second `RotationScheduled`, a dependent
 * event before the password step, anything after `JobFinished`) leaves the
 * state as it is.
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
      return state;
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
