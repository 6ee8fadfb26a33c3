import { dependentKey } from './dependent.js';
import type { Dependent, DependentKind, TaskLogonType } from './dependent.js';
import type { JobCounts, JobOutcome } from './events.js';
import type { DependentProgress, MachineProgress } from './jobState.js';

/**
 * Whether a scheduled task of this logon type stores a password: `password`
 * and `interactive-token-or-password` (which falls back to the stored
 * password when the user is not logged on). The same rule as
 * `@rotor/windows`' `taskStoresPassword`.
 *
 * @category utils
 */
export const taskLogonStoresPassword = (logonType: TaskLogonType): boolean =>
  logonType === 'password' || logonType === 'interactive-token-or-password';

/**
 * Whether a dependent stores the account's password, and so must be
 * updated: every service found (the enumeration keeps only those logging
 * on as the account), tasks whose logon type stores a password
 * ({@link taskLogonStoresPassword}), and pools with a `specific-user`
 * identity. Others run as the account without holding its password and
 * are never touched.
 *
 * @category utils
 */
export const holdsPassword = (dependent: Dependent): boolean => {
  switch (dependent.kind) {
    case 'service':
      return true;
    case 'task':
      return taskLogonStoresPassword(dependent.logonType);
    case 'iis':
      return dependent.identityType === 'specific-user';
  }
};

/**
 * The dependents of a snapshot the job must update: those of the target's
 * kinds that hold the password, each once (Windows names are
 * case-insensitive, so two spellings of one name are one dependent).
 *
 * @category utils
 */
export const dependentsToUpdate = (
  machine: MachineProgress,
  kinds: ReadonlyArray<DependentKind>,
): ReadonlyArray<Dependent> => {
  const seen = new Set<string>();

  return (machine.snapshot?.dependents ?? []).filter((d) => {
    const key = dependentKey(d);
    if (seen.has(key) || !kinds.includes(d.kind) || !holdsPassword(d)) {
      return false;
    }
    seen.add(key);

    return true;
  });
};

const credentialWritten = (p: DependentProgress | undefined): boolean =>
  p !== undefined &&
  (p.status !== 'failed' || p.step === 'restart' || p.step === 'recycle');

/**
 * A target's machine progress with the kinds it was mapped for.
 *
 * @category model
 */
export interface CountedMachine {
  readonly machine: MachineProgress;
  readonly kinds: ReadonlyArray<DependentKind>;
}

/**
 * The tallies `JobFinished` carries. `dependents` counts those that hold
 * the password (the ones the job had to update); `updated` those whose
 * credential was written, even if their restart then failed.
 *
 * @category utils
 */
export const countJob = (
  machines: ReadonlyArray<CountedMachine>,
): JobCounts => {
  const counts = {
    machines: machines.length,
    machinesFailed: 0,
    dependents: 0,
    updated: 0,
    restarted: 0,
    recycled: 0,
    skipped: 0,
    failed: 0,
  };
  for (const { machine, kinds } of machines) {
    if (machine.failed !== undefined) {
      counts.machinesFailed++;
    }
    for (const d of dependentsToUpdate(machine, kinds)) {
      const p = machine.dependents[dependentKey(d)];
      counts.dependents++;
      counts.updated += credentialWritten(p) ? 1 : 0;
      counts.restarted += p?.status === 'restarted' ? 1 : 0;
      counts.recycled += p?.status === 'recycled' ? 1 : 0;
      counts.skipped += p?.status === 'skipped' ? 1 : 0;
      counts.failed += p?.status === 'failed' ? 1 : 0;
    }
  }

  return counts;
};

/**
 * How a job ended, from its counts: `failed` when the password step
 * failed, `finished-with-errors` when any machine or dependent failed.
 *
 * @category utils
 */
export const outcomeOf = (
  passwordFailed: boolean,
  counts: JobCounts,
): JobOutcome => {
  if (passwordFailed) {
    return 'failed';
  }

  return counts.machinesFailed > 0 || counts.failed > 0
    ? 'finished-with-errors'
    : 'finished';
};

/**
 * The one-line summary `JobFinished` carries.
 *
 * @category utils
 */
export const summarize = (
  outcome: JobOutcome,
  counts: JobCounts,
  passwordErrorCode?: string,
): string => {
  if (outcome === 'failed') {
    const code = passwordErrorCode ?? 'unknown error';

    return `password not changed (${code}); no dependent touched`;
  }
  const c = counts;

  return (
    `${c.machines - c.machinesFailed}/${c.machines} machines, ` +
    `${c.dependents} dependents: ${c.updated} updated, ` +
    `${c.restarted} restarted, ${c.recycled} recycled, ` +
    `${c.skipped} skipped, ${c.failed} failed`
  );
};
