import type { JobEvent } from './events.js';
import type {
  DependentProgress,
  JobState,
  MachineProgress,
  RunningJob,
} from './jobState.js';
import {
  machineTableOf,
  noMachines,
  withMachineIn,
  withMachines,
  type MachineTable,
} from './jobStateMachines.js';
import { tableEntries } from './jobStateTable.js';

const running = (
  fields: Omit<RunningJob, 'machines'>,
  table: MachineTable,
): RunningJob => withMachines<RunningJob>(fields, table);

// A reopened job forgets what failed, so the plan does it again. A dependent
// that failed at its restart or recycle is back to `updated` (its
// credential was written); with `all` (a retry) a machine's failure goes and
// a dependent that failed before its credential was written has no progress
// again.
const forgetFailures = (
  machines: MachineTable,
  secretVersion: number,
  all: boolean,
): MachineTable =>
  tableEntries(machines).reduce((table, [uid, m]) => {
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

    return withMachineIn(table, uid, machine);
  }, noMachines());

/**
 * A finished job reopened by `JobReopened`: running again with what is to
 * be done again forgotten. A job whose password was not changed stays
 * finished.
 *
 * @category reducers
 */
export const reopen = (
  state: Extract<JobState, { status: 'finished' }>,
  event: Extract<JobEvent, { type: 'JobReopened' }>,
): JobState => {
  const password = state.password;
  if (password === undefined || password.status !== 'changed') {
    return state;
  }
  const reopened = (state.reopened ?? 0) + 1;
  const base = { status: 'running' as const, job: state.job, password };
  const retry = event.data.purpose === 'retry';
  const machines = forgetFailures(
    machineTableOf(state),
    password.secretVersion,
    retry,
  );

  return retry
    ? // A retry also does the restarts a halt left.
      running(
        { ...base, restartNow: state.job.options.restart, reopened },
        machines,
      )
    : running({ ...base, restartNow: true, reopened }, machines);
};
