import type { EventStore } from '@rotor/core';
import { lastValueFrom, tap } from 'rxjs';
import type { LoadedInventory } from '../inventory.js';
import { CliError, type Output } from '../output.js';
import type { GlobalOptions } from '../runtime.js';
import { openSecrets } from '../secrets.js';
import { buildEngine, seedSecrets, type GateOptions } from '../wiring.js';
import { jobInfoOf, printJobInfo, readJob } from './jobInfo.js';
import { progressLine } from './progress.js';

/** How a job is run in this process. */
export interface RunOptions {
  readonly wait?: boolean;
  readonly gate?: GateOptions;
}

/** The engine of this process for an inventory and a store. */
export const engineFor = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  store: EventStore,
  gate?: GateOptions,
) => {
  const secrets = await openSecrets(opts);
  await seedSecrets(inv, secrets);

  return {
    secrets,
    engine: buildEngine({
      inv,
      store,
      secrets,
      ...(gate === undefined ? {} : { gate }),
    }),
  };
};

// TODO(8): a live per-machine progress display on a terminal (plain lines
// when not a TTY, as now), and structured pino logs with --log-level; the
// engine's Logger port is where they plug in.

/**
 * Runs (or resumes) a job in this process, with live progress when asked,
 * and reports it as job-info does. Returns the job's status.
 */
export const runAndReport = async (
  inv: LoadedInventory,
  store: EventStore,
  engine: Awaited<ReturnType<typeof engineFor>>['engine'],
  jobId: string,
  o: RunOptions,
  out: Output,
): Promise<{ jobId: string; status: string }> => {
  const machineName = (uid: string) =>
    inv.machines.find((m) => m.uid === uid)?.name ?? uid;
  await lastValueFrom(
    engine.run(jobId).pipe(
      tap((event) => {
        if (o.wait === true) {
          const line = progressLine(event, machineName);
          if (line !== undefined) {
            out.line(line);
          }
        }
      }),
    ),
    { defaultValue: undefined },
  );
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
