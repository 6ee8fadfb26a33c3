import {
  dependentKey,
  jobStream,
  replay,
  evolveJob,
  initialJobState,
  formatDecodeFailure,
  type Dependent,
  type DependentProgress,
  type JobEvent,
  type JobState,
  type MachineProgress,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedInventory } from '../inventory.js';
import { CliError, exitCodes, type Output } from '../output.js';
import { loadInventory } from '../inventory.js';
import { renderTable, formatDuration } from '../table.js';
import { withStore, type Verb } from './verb.js';

/** One row of job-info's table: a dependent and what the job did to it. */
export interface DependentOutcome {
  readonly machineUid: string;
  readonly machine: string;
  readonly kind: string;
  readonly name: string;
  readonly account: string;
  readonly before: string;
  readonly outcome: string;
}

const describeProgress = (p: DependentProgress | undefined): string => {
  if (p === undefined) {
    return 'not reached';
  }
  switch (p.status) {
    case 'updated':
      return 'password set';
    case 'restarted':
      return p.dependentsRestarted.length === 0
        ? 'password set, restarted'
        : `password set, restarted (with ${p.dependentsRestarted.join(', ')})`;
    case 'recycled':
      return 'password set, recycled';
    case 'skipped':
      switch (p.reason) {
        case 'not-running':
          return 'password set, not restarted (was not running)';
        case 'deferred':
          return 'password set, restart deferred (rotor restart)';
        case 'halted':
          return 'password set, restart HALTED (rotor restart)';
        default:
          return 'password set, not restarted';
      }
    case 'failed':
      return `FAILED at ${p.step}: ${p.error.code} ${p.error.message}`;
  }
};

const beforeOf = (d: Dependent): string => d.state;

/** The table rows of a job: every dependent found, and failed machines. */
export const outcomesOf = (
  state: JobState,
  machineName: (uid: string) => string,
): ReadonlyArray<DependentOutcome> => {
  if (state.status !== 'running' && state.status !== 'finished') {
    return [];
  }
  const rows: DependentOutcome[] = [];
  const machines: ReadonlyArray<[string, MachineProgress | undefined]> =
    state.job.targets.map((t) => [t.machineUid, state.machines[t.machineUid]]);
  for (const [uid, m] of machines) {
    const base = { machineUid: uid, machine: machineName(uid) };
    if (m?.failed !== undefined) {
      rows.push({
        ...base,
        kind: '-',
        name: '-',
        account: '-',
        before: '-',
        outcome: `MACHINE FAILED at ${m.failed.step}: ${m.failed.error.code} ${m.failed.error.message}`,
      });
    }
    for (const d of m?.snapshot?.dependents ?? []) {
      rows.push({
        ...base,
        kind: d.kind,
        name: d.name,
        account: d.account,
        before: beforeOf(d),
        outcome: describeProgress(m?.dependents[dependentKey(d)]),
      });
    }
    if (
      m === undefined ||
      (m.snapshot === undefined && m.failed === undefined)
    ) {
      rows.push({
        ...base,
        kind: '-',
        name: '-',
        account: '-',
        before: '-',
        outcome: 'not reached',
      });
    }
  }

  return rows;
};

/** Job-info as data, for `--json` and for the demo. */
export const jobInfoOf = (
  state: JobState,
  inv: LoadedInventory | undefined,
) => {
  const machineName = (uid: string) =>
    inv?.machines.find((m) => m.uid === uid)?.name ?? uid;
  if (state.status === 'unscheduled') {
    return undefined;
  }
  const end = state.status === 'finished' ? state.end : undefined;

  return {
    jobId: state.job.jobId,
    userUid: state.job.userUid,
    status: end?.status ?? state.status,
    durationMs: end?.durationMs,
    message: end?.message ?? 'the job has not finished',
    counts: end?.counts,
    dependents: outcomesOf(state, machineName),
  };
};

/** Prints job-info for a job's state. */
export const printJobInfo = (
  out: Output,
  info: NonNullable<ReturnType<typeof jobInfoOf>>,
): void => {
  out.line(`Job ID            : ${info.jobId}`);
  out.line(`Status            : ${info.status}`);
  out.line(
    `Duration          : ${info.durationMs === undefined ? '-' : formatDuration(info.durationMs)}`,
  );
  out.line(`Response Message  : ${info.message}`);
  out.line('');
  out.line(
    renderTable(
      ['Machine', 'Kind', 'Dependent', 'Account', 'Before', 'Outcome'],
      info.dependents.map((d) => [
        d.machine,
        d.kind,
        d.name,
        d.account,
        d.before,
        d.outcome,
      ]),
    ),
  );
};

/** Reads and folds a job's stream. */
export const readJob = async (
  store: Parameters<Parameters<typeof withStore>[1]>[0],
  jobId: string,
): Promise<JobState> => {
  const replayed = await replay(
    store.readStream(jobStream(jobId)),
    initialJobState,
    (s, e) => evolveJob(s, e as JobEvent),
  );
  if (E.isLeft(replayed)) {
    throw new CliError(
      formatDecodeFailure(replayed.left),
      exitCodes.jobNotClean,
    );
  }

  return replayed.right.state;
};

/** `rotor job-info <id>`. */
export const jobInfoVerb: Verb = (program, global, out) => {
  program
    .command('job-info <id>')
    .description(
      'the status, duration, message and per-dependent outcome of a job',
    )
    .action(async (id: string) => {
      const opts = global();
      const inv = loadInventory(opts.inventory);
      await withStore(opts, async (store) => {
        const state = await readJob(store, id);
        const info = jobInfoOf(state, E.isRight(inv) ? inv.right : undefined);
        if (info === undefined) {
          throw new CliError(`no job ${id} in ${opts.store}`);
        }
        out.data(info);
        printJobInfo(out, info);
        if (info.status !== 'finished') {
          process.exitCode = exitCodes.jobNotClean;
        }
      });
    });
};
