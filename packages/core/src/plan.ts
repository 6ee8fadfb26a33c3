import { dependentKey } from './dependent.js';
import type {
  Dependent,
  DependentKind,
  ServiceDependent,
} from './dependent.js';
import type { Target } from './events.js';
import type {
  DependentProgress,
  JobState,
  MachineProgress,
  RunningJob,
} from './jobState.js';
import { machineOf } from './jobState.js';
import type { Action, MachineAction } from './planAction.js';
import {
  countJob,
  dependentsToUpdate,
  outcomeOf,
  summarize,
} from './planCounts.js';
import type { Uid } from './uid.js';

interface MergedTargets {
  readonly list: ReadonlyArray<Target>;
  readonly byMachine: ReadonlyMap<string, Target>;
}

const mergeTargets = (targets: ReadonlyArray<Target>): MergedTargets => {
  const merged = new Map<string, Target>();
  for (const t of targets) {
    const seen = merged.get(t.machineUid);
    const kinds = [...(seen?.kinds ?? []), ...t.kinds];
    merged.set(t.machineUid, {
      machineUid: t.machineUid,
      kinds: kinds.filter((k, i) => kinds.indexOf(k) === i),
    });
  }

  return { list: [...merged.values()], byMachine: merged };
};

// A job's targets never change, and every state of the job shares the one
// array: merged once per job, not once per planned step.
const mergedCache = new WeakMap<ReadonlyArray<Target>, MergedTargets>();

const merged = (targets: ReadonlyArray<Target>): MergedTargets => {
  const cached = mergedCache.get(targets);
  if (cached !== undefined) {
    return cached;
  }
  const made = mergeTargets(targets);
  mergedCache.set(targets, made);

  return made;
};

/**
 * A job's targets with one entry per machine, kinds merged, in first-seen
 * order, so a machine listed twice is still worked on once. Computed once
 * per targets array (they are immutable); do not change the result.
 *
 * @category utils
 */
export const targetsOf = (
  targets: ReadonlyArray<Target>,
): ReadonlyArray<Target> => merged(targets).list;

/**
 * Whether restarts are due now: the job's `restart` option, or a
 * `JobReopened` `restart` that made the deferred ones due.
 *
 * @category utils
 */
export const restartsDue = (state: RunningJob): boolean =>
  state.restartNow ?? state.job.options.restart;

// A skipped restart that is due again: deferred ones once restarts are due,
// halted ones once the job was reopened after the halt.
const resumable = (state: RunningJob, p: DependentProgress): boolean =>
  p.status === 'skipped' &&
  restartsDue(state) &&
  (p.reason === 'deferred' ||
    (p.reason === 'halted' && (p.round ?? 0) < (state.reopened ?? 0)));

// What follows a written credential. Only the snapshot's state counts, so a
// service that was not running is never started, whatever it is now.
const followUp = (
  state: RunningJob,
  machineUid: Uid,
  d: Dependent,
): ReadonlyArray<MachineAction> => {
  const restart = restartsDue(state);
  switch (d.kind) {
    case 'service':
      if (d.state !== 'running') {
        return [
          {
            type: 'SkipRestart',
            machineUid,
            service: d,
            reason: 'not-running',
          },
        ];
      }

      return restart
        ? [{ type: 'RestartService', machineUid, service: d }]
        : [{ type: 'SkipRestart', machineUid, service: d, reason: 'deferred' }];
    case 'iis':
      // NOTE: a pool left unrecycled under `restart: false` has no event of
      // its own; it is derivable from the snapshot and the options.
      return restart && d.state === 'started'
        ? [{ type: 'RecycleAppPool', machineUid, pool: d }]
        : [];
    case 'task':
      return [];
  }
};

const serviceName = (name: string): string => name.toLowerCase();

// Whether restarting `by` stops and starts `service` too: Windows restarts
// a service's running dependents (the snapshot lists them, transitively)
// with it. Two services that list each other (not possible on Windows) do
// not cover each other, so one of them is always restarted.
const covers = (by: ServiceDependent, service: ServiceDependent): boolean => {
  const lists = (a: ServiceDependent, b: ServiceDependent) =>
    a.dependentServices.some(
      (d) =>
        d.state === 'running' && serviceName(d.name) === serviceName(b.name),
    );

  return (
    serviceName(by.name) !== serviceName(service.name) &&
    lists(by, service) &&
    !lists(service, by)
  );
};

// A service whose restart another planned restart on the machine does
// anyway is not restarted on its own: it is restarted once, with the other
// (the reducer records it from that restart's `dependentsRestarted`). If
// the other's restart fails or is halted, it is planned on its own again.
const withoutCoveredRestarts = (
  actions: ReadonlyArray<MachineAction>,
): MachineAction[] => {
  const restarts = actions.flatMap((a) =>
    a.type === 'RestartService' ? [a.service] : [],
  );

  return actions.filter(
    (a) =>
      a.type !== 'RestartService' ||
      !restarts.some((by) => covers(by, a.service)),
  );
};

const machineActions = (
  state: RunningJob,
  target: Target,
  secretVersion: number,
): ReadonlyArray<MachineAction> => {
  const { machineUid, kinds } = target;
  const machine: MachineProgress = machineOf(state, machineUid);
  if (machine.failed !== undefined) {
    return [];
  }
  if (machine.snapshot === undefined) {
    return [{ type: 'Enumerate', machineUid, kinds }];
  }
  const updates: MachineAction[] = [];
  let after: MachineAction[] = [];
  for (const dependent of dependentsToUpdate(machine, kinds)) {
    const progress = machine.dependents[dependentKey(dependent)];
    if (progress === undefined) {
      updates.push({
        type: 'UpdateCredential',
        machineUid,
        dependent,
        secretVersion,
      });
    }
    if (
      progress === undefined ||
      progress.status === 'updated' ||
      resumable(state, progress)
    ) {
      after.push(...followUp(state, machineUid, dependent));
    }
  }
  after = withoutCoveredRestarts(after);

  return [...updates, ...after];
};

const finishAction = (state: RunningJob): Action => {
  const targets = targetsOf(state.job.targets);
  const counts = countJob(
    targets.map((t) => ({
      machine: machineOf(state, t.machineUid),
      kinds: t.kinds satisfies ReadonlyArray<DependentKind>,
    })),
  );
  const failedCode =
    state.password.status === 'failed' ? state.password.error.code : undefined;
  const status = outcomeOf(failedCode !== undefined, counts);

  return {
    type: 'Finish',
    status,
    counts,
    message: summarize(status, counts, failedCode),
  };
};

/**
 * What is left to do in a job, computed from its state alone, in order:
 *
 * 0. for a `preflight` job, `Preflight` until it passed (a failed one gives
 *    the password step a failure, so the job finishes `failed`);
 * 1. the password: `ChangePassword`, or `AdoptExternalPassword` for an
 *    external job; nothing else is planned until it has an outcome;
 * 2. per target machine that has not failed: `Enumerate` until its
 *    snapshot is recorded; then `UpdateCredential` for each dependent that
 *    holds the password and is neither updated nor failed; then, for each
 *    dependent not failed, `RestartService` (service running in the
 *    snapshot), `SkipRestart` (`not-running`, or `deferred` when the job
 *    does not restart) or `RecycleAppPool` (pool started in the snapshot);
 *    a job reopened for restarts plans its deferred and halted restarts
 *    (and the pools it did not recycle) again;
 * 3. `Finish`, alone, once nothing else is left, or at once when the
 *    password could not be changed.
 *
 * A resumed job is planned from its replayed state, so what is recorded is
 * never done again. A finished or unscheduled job has nothing left.
 *
 * @category planner
 */
export const plan = (state: JobState): ReadonlyArray<Action> => {
  switch (state.status) {
    case 'unscheduled':
    case 'finished':
      return [];
    case 'scheduled': {
      const { userUid, options, targets } = state.job;
      if (options.preflight === true && state.preflight !== 'passed') {
        return [{ type: 'Preflight', userUid, targets: targetsOf(targets) }];
      }

      return [
        options.external
          ? { type: 'AdoptExternalPassword', userUid }
          : { type: 'ChangePassword', userUid },
      ];
    }
    case 'running': {
      const password = state.password;
      if (password.status === 'failed') {
        return [finishAction(state)];
      }
      // A retry or restart of a finished job reopens it (`JobReopened`);
      // the reducer forgets what is to be done again, so it is planned here.
      const left = targetsOf(state.job.targets).flatMap((target) =>
        machineActions(state, target, password.secretVersion),
      );

      return left.length > 0 ? left : [finishAction(state)];
    }
  }
};

/**
 * The actions {@link plan} lists for one machine, in order, without
 * planning the others: what a machine's lane asks after each step, so a
 * large fleet is not re-planned whole for every outcome.
 *
 * @category planner
 */
export const planMachine = (
  state: JobState,
  machineUid: string,
): ReadonlyArray<MachineAction> => {
  if (state.status !== 'running' || state.password.status !== 'changed') {
    return [];
  }
  const target = merged(state.job.targets).byMachine.get(machineUid);

  return target === undefined
    ? []
    : machineActions(state, target, state.password.secretVersion);
};
