import { dependentKey } from './dependent.js';
import type { DependentKind } from './dependent.js';
import type { JobEvent } from './events.js';
import type {
  DependentProgress,
  JobState,
  MachineProgress,
  RunningJob,
} from './jobState.js';
import { emptyMachine, initialJobState } from './jobState.js';
import {
  machineAt,
  machineTableOf,
  noMachines,
  withMachineIn,
  withMachines,
  type MachineTable,
} from './jobStateMachines.js';
import { reopen } from './jobStateReopen.js';

type Running = RunningJob;
type Finished = Extract<JobState, { status: 'finished' }>;

const running = (
  fields: Omit<Running, 'machines'>,
  table: MachineTable,
): Running => withMachines<Running>(fields, table);

const fieldsOf = (state: Running): Omit<Running, 'machines'> => ({
  status: 'running',
  job: state.job,
  password: state.password,
  ...(state.restartNow === undefined ? {} : { restartNow: state.restartNow }),
  ...(state.reopened === undefined ? {} : { reopened: state.reopened }),
});

// Replaces one machine; the others are shared with `state`, so an event
// costs the same whatever the number of machines.
const withMachine = (
  state: Running,
  machineUid: string,
  change: (machine: MachineProgress) => MachineProgress,
): Running => {
  const table = machineTableOf(state);
  const machine = machineAt(table, machineUid) ?? emptyMachine;

  return running(
    fieldsOf(state),
    withMachineIn(table, machineUid, change(machine)),
  );
};

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

// A service that a restart of another restarted too (Windows stops and
// starts a service's running dependents with it) is restarted: it is not
// restarted again. Only one still waiting for its restart is marked.
const awaitsRestart = (p: DependentProgress | undefined): boolean =>
  p !== undefined &&
  (p.status === 'updated' ||
    (p.status === 'skipped' &&
      (p.reason === 'deferred' || p.reason === 'halted')));

const restarted = (
  machine: MachineProgress,
  service: string,
  dependentsRestarted: ReadonlyArray<string>,
): MachineProgress => {
  const dependents: Record<string, DependentProgress> = {
    ...machine.dependents,
    [dependentKey({ kind: 'service', name: service })]: {
      status: 'restarted',
      dependentsRestarted,
    },
  };
  for (const name of dependentsRestarted) {
    const key = dependentKey({ kind: 'service', name });
    if (awaitsRestart(dependents[key])) {
      dependents[key] = {
        status: 'restarted',
        dependentsRestarted: [],
        with: service,
      };
    }
  }

  return { ...machine, dependents };
};

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
      return machineAt(machineTableOf(state), machineUid)?.snapshot ===
        undefined
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

      return withMachine(state, machineUid, (m) =>
        restarted(m, dependent, dependentsRestarted),
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

  return withMachines<Finished>(
    {
      status: 'finished',
      job: state.job,
      ...(state.status === 'running' ? { password: state.password } : {}),
      end: { status, counts, durationMs, message, at },
      ...(reopened === undefined ? {} : { reopened }),
    },
    state.status === 'running' ? machineTableOf(state) : noMachines(),
  );
};

const preflightFailed = (
  state: Extract<JobState, { status: 'scheduled' }>,
  event: Extract<JobEvent, { type: 'PreflightFailed' }>,
): JobState => {
  const { failures } = event.data;
  let machines = noMachines();
  for (const f of failures) {
    machines = withMachineIn(machines, f.machineUid, {
      dependents: {},
      failed: { step: f.step, error: f.error },
    });
  }
  const names = failures.map((f) => f.error.code).join(', ');

  return running(
    {
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
    },
    machines,
  );
};

const evolveScheduled = (
  state: Extract<JobState, { status: 'scheduled' }>,
  event: JobEvent,
): JobState => {
  if (event.type === 'PasswordChanged') {
    const { secretVersion, by } = event.data;

    return running(
      {
        status: 'running',
        job: state.job,
        password: { status: 'changed', secretVersion, by },
      },
      noMachines(),
    );
  }
  if (event.type === 'PasswordChangeFailed') {
    return running(
      {
        status: 'running',
        job: state.job,
        password: { status: 'failed', error: event.data.error },
      },
      noMachines(),
    );
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
