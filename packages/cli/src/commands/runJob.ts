import type { Engine, EventStore, JobState, Logger } from '@rotor/core';
import { loggingSink } from './jobLog.js';
import {
  catchError,
  defer,
  endWith,
  from,
  ignoreElements,
  lastValueFrom,
  mergeMap,
  of,
  tap,
  toArray,
} from 'rxjs';
import type { LoadedInventory } from '../inventory.js';
import { CliError, type Output } from '../output.js';
import type { GlobalOptions } from '../runtime.js';
import { stderrLines } from '../logging.js';
import { openSecrets } from '../secrets.js';
import {
  buildEngine,
  buildHost,
  seedSecrets,
  type GateOptions,
} from '../wiring.js';
import { jobInfoOf, printJobInfo, readJob } from './jobInfo.js';
import {
  liveSink,
  plainSink,
  silentSink,
  type ProgressSink,
} from './progressSink.js';

/** How a job is run in this process. */
export interface RunOptions {
  readonly wait?: boolean;
  readonly gate?: GateOptions;
  /** Where each event of the job is logged (`job.<EventType>`). */
  readonly logger?: Logger;
}

/**
 * The engine of this process for an inventory and a store, logging to the
 * command's logger. With `shared`, its runs share one set of connections
 * (for several jobs at once), closed by `close()`; otherwise each run
 * closes its own and `close()` does nothing.
 */
export const engineFor = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  store: EventStore,
  gate?: GateOptions,
  shared = false,
) => {
  const secrets = await openSecrets(opts);
  await seedSecrets(inv, secrets);
  const logger = opts.logger === undefined ? {} : { logger: opts.logger };
  const host = shared ? buildHost({ inv, secrets, ...logger }) : undefined;

  return {
    secrets,
    engine: buildEngine({
      inv,
      store,
      secrets,
      ...logger,
      ...(gate === undefined ? {} : { gate }),
      ...(host === undefined ? {} : { host }),
    }),
    close: async () => {
      await host?.close();
    },
  };
};

/**
 * Where `--wait` shows progress: a live display redrawn in place when
 * stdout is a terminal (and the output is not JSON), plain lines
 * otherwise; nowhere without `--wait`.
 */
export const progressSinkFor = (
  inv: LoadedInventory,
  out: Output,
  wait: boolean | undefined,
  severalJobs: boolean,
  logger?: Logger,
): ProgressSink => {
  const shown = shownSink(inv, out, wait, severalJobs);

  return logger === undefined ? shown : loggingSink(logger, shown);
};

const shownSink = (
  inv: LoadedInventory,
  out: Output,
  wait: boolean | undefined,
  severalJobs: boolean,
): ProgressSink => {
  if (wait !== true) {
    return silentSink;
  }
  const machineName = (uid: string) =>
    inv.machines.find((m) => m.uid === uid)?.name ?? uid;

  return process.stdout.isTTY === true && !out.json
    ? liveSink(
        process.stdout,
        machineName,
        process.stderr.isTTY === true ? stderrLines : undefined,
      )
    : plainSink(out, machineName, severalJobs);
};

/** A job to run, and the label its progress goes under. */
export interface JobToRun {
  readonly jobId: string;
  readonly label: string;
}

/** How a run of one job ended: with an error the engine threw, or not. */
export interface JobRunEnd extends JobToRun {
  readonly error?: string;
}

const machinesOf = (state: JobState, inv: LoadedInventory): string[] =>
  state.status === 'unscheduled'
    ? []
    : state.job.targets.map(
        (t) =>
          inv.machines.find((m) => m.uid === t.machineUid)?.name ??
          t.machineUid,
      );

/**
 * Runs (or resumes) jobs in this process, at most `maxJobs` at once,
 * sending their events to `sink`. A job whose run fails (the store, a
 * job taken over) does not stop the others; its error is returned.
 */
export const runJobs = async (
  inv: LoadedInventory,
  store: EventStore,
  engine: Engine,
  jobs: ReadonlyArray<JobToRun>,
  maxJobs: number,
  sink: ProgressSink,
): Promise<ReadonlyArray<JobRunEnd>> => {
  // An interrupted run leaves its jobs open with the password already
  // changed: say how to finish them before the process goes.
  const onInterrupt = (): void => {
    const names = jobs.map((j) => `${j.label} (job ${j.jobId})`).join(', ');
    process.stderr.write(
      `\ninterrupted: ${names} left unfinished; rotate the same user(s) ` +
        'again (rotor rotate -r <user>) to resume where it stopped\n',
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    return await runJobsUninterrupted(inv, store, engine, jobs, maxJobs, sink);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
};

const runJobsUninterrupted = async (
  inv: LoadedInventory,
  store: EventStore,
  engine: Engine,
  jobs: ReadonlyArray<JobToRun>,
  maxJobs: number,
  sink: ProgressSink,
): Promise<ReadonlyArray<JobRunEnd>> => {
  const ends = await lastValueFrom(
    from(jobs).pipe(
      mergeMap(
        (job) =>
          defer(async () => {
            sink.start(
              job.label,
              machinesOf(await readJob(store, job.jobId), inv),
            );
          }).pipe(
            mergeMap(() => engine.run(job.jobId)),
            tap((event) => sink.event(job.label, event)),
            ignoreElements(),
            endWith<JobRunEnd>(job),
            catchError((e: unknown) =>
              of<JobRunEnd>({
                ...job,
                error: e instanceof Error ? e.message : String(e),
              }),
            ),
          ),
        maxJobs,
      ),
      toArray(),
    ),
  );
  sink.end();

  return jobs.map((j) => ends.find((e) => e.jobId === j.jobId) ?? j);
};

/**
 * Runs (or resumes) a job in this process, with live progress when asked,
 * and reports it as job-info does. Returns the job's status.
 */
export const runAndReport = async (
  inv: LoadedInventory,
  store: EventStore,
  engine: Engine,
  jobId: string,
  o: RunOptions,
  out: Output,
): Promise<{ jobId: string; status: string }> => {
  const before = await readJob(store, jobId);
  const label =
    before.status === 'unscheduled'
      ? jobId
      : (inv.users.find((u) => u.uid === before.job.userUid)?.title ?? jobId);
  const [end] = await runJobs(
    inv,
    store,
    engine,
    [{ jobId, label }],
    1,
    progressSinkFor(inv, out, o.wait, false, o.logger),
  );
  if (end?.error !== undefined) {
    throw new CliError(end.error, 1);
  }
  const info = jobInfoOf(await readJob(store, jobId), inv);
  if (info === undefined) {
    throw new CliError(`job ${jobId} vanished from the store`, 1);
  }
  if (o.wait === true) {
    out.line('');
    printJobInfo(out, info);
  }
  out.data(info);

  return { jobId, status: info.status };
};
