import {
  describeDecideError,
  describeWarning,
  jobSummaryOf,
  targetsFor,
  type Decision,
  type User,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedInventory } from '../inventory.js';
import { CliError, type Output } from '../output.js';
import {
  appendDecision,
  loadGatewayState,
  requireInventory,
  resolveGateway,
  userRef,
  type GlobalOptions,
} from '../runtime.js';
import { formatDuration, renderTable } from '../table.js';
import { readJob } from './jobInfo.js';
import { decideRotation, type RotateOptions } from './rotate.js';
import { engineFor, progressSinkFor, runJobs } from './runJob.js';
import { withStore } from './verb.js';
import type { EventStore } from '@rotor/core';

/** How a rotation of several users was asked for. */
export interface BulkOptions extends Pick<
  RotateOptions,
  'gateway' | 'wait' | 'external' | 'restart' | 'preflight' | 'gate'
> {
  /** The users, by uid or title; ignored with `all`. */
  readonly users: ReadonlyArray<string>;
  /** Every user with an enabled mapping on `gateway`. */
  readonly all?: boolean;
  /** How many jobs run at once (at least 1). */
  readonly maxJobs: number;
}

/** One row of the summary of a bulk rotation. */
export interface BulkRow {
  readonly jobId: string;
  readonly user: string;
  readonly status: string;
  readonly durationMs?: number;
  readonly message: string;
}

/** The user references a `-r` list names: repeated, or comma separated. */
export const splitUsers = (given: ReadonlyArray<string>): string[] => [
  ...new Set(
    given
      .flatMap((g) => g.split(','))
      .map((u) => u.trim())
      .filter((u) => u !== ''),
  ),
];

const titleOf = (inv: LoadedInventory, uid: string): string =>
  inv.users.find((u) => u.uid === uid)?.title ?? uid;

/** The users `--all -g <gateway>` means: each with something to rotate. */
const everyMappedUser = async (
  inv: LoadedInventory,
  store: EventStore,
  gateway: string | undefined,
): Promise<string[]> => {
  if (gateway === undefined) {
    throw new CliError('--all needs -g <gateway>: the gateway whose users');
  }
  const g = resolveGateway(inv, gateway);
  const state = await loadGatewayState(store, g.uid);
  const users = inv.users.filter(
    (u: User) => targetsFor(state, u.uid).length > 0,
  );
  if (users.length === 0) {
    throw new CliError(
      `no user has an enabled mapping on gateway ${g.name}; nothing to rotate`,
    );
  }

  return users.map((u) => u.uid);
};

interface Planned {
  readonly userUid: string;
  readonly jobId: string;
  readonly decision: Decision;
}

/**
 * Decides the rotation of every user before anything is written: one
 * refusal (an unknown user, one with nothing mapped) refuses them all,
 * naming each, so a mistyped list changes nothing.
 */
const planAll = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  store: EventStore,
  userUids: ReadonlyArray<string>,
  o: BulkOptions,
): Promise<ReadonlyArray<Planned>> => {
  const planned: Planned[] = [];
  const refused: string[] = [];
  for (const userUid of userUids) {
    try {
      const { jobId, decided } = await decideRotation(
        opts,
        inv,
        store,
        userUid,
        o,
      );
      if (E.isLeft(decided)) {
        refused.push(describeDecideError(decided.left));
      } else {
        planned.push({
          userUid,
          jobId: decided.right.jobId ?? jobId,
          decision: decided.right,
        });
      }
    } catch (e) {
      if (!(e instanceof CliError)) {
        throw e;
      }
      refused.push(e.message);
    }
  }
  if (refused.length > 0) {
    throw new CliError(
      [
        `nothing was scheduled: ${refused.length} of ${userUids.length} user(s) cannot be rotated`,
        ...refused.map((r) => `  ${r}`),
      ].join('\n'),
    );
  }

  return planned;
};

/**
 * Rotates several users (or every user mapped on a gateway), at most
 * `maxJobs` jobs at once, sharing one set of connections and one secret
 * store, and prints a summary row per job. Every job is scheduled before
 * any runs; a user who already has a job running has that job resumed.
 */
export const rotateMany = async (
  opts: GlobalOptions,
  o: BulkOptions,
  out: Output,
): Promise<ReadonlyArray<BulkRow>> => {
  const inv = requireInventory(opts);

  return withStore(opts, async (store) => {
    const userUids =
      o.all === true
        ? await everyMappedUser(inv, store, o.gateway)
        : [...new Set(splitUsers(o.users).map((u) => userRef(inv, u)))];
    const planned = await planAll(opts, inv, store, userUids, o);
    // The engine before any append: options it refuses refuse them all.
    const { engine, close } = await engineFor(opts, inv, store, o.gate, true);
    for (const p of planned) {
      for (const w of p.decision.warnings) {
        out.line(`warning: ${describeWarning(w)}`);
      }
      await appendDecision(store, p.decision);
      out.line(`Scheduled action id: ${p.jobId} (${titleOf(inv, p.userUid)})`);
    }
    let ends;
    try {
      ends = await runJobs(
        inv,
        store,
        engine,
        planned.map((p) => ({
          jobId: p.jobId,
          label: titleOf(inv, p.userUid),
        })),
        o.maxJobs,
        progressSinkFor(inv, out, o.wait, true, opts.logger),
      );
    } finally {
      await close();
    }
    const rows: BulkRow[] = [];
    for (const end of ends) {
      const summary = jobSummaryOf(await readJob(store, end.jobId));
      rows.push({
        jobId: end.jobId,
        user: end.label,
        status:
          end.error !== undefined ? 'stopped' : (summary?.status ?? 'unknown'),
        ...(summary?.durationMs === undefined
          ? {}
          : { durationMs: summary.durationMs }),
        message: end.error ?? summary?.message ?? 'the job has not finished',
      });
    }
    out.line('');
    out.line(
      renderTable(
        ['Job ID', 'User', 'Status', 'Duration', 'Message'],
        rows.map((r) => [
          r.jobId,
          r.user,
          r.status,
          r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
          r.message,
        ]),
      ),
    );
    out.data({ jobs: rows });

    return rows;
  });
};
