import {
  describeReopenError,
  systemClock,
  type ActiveJob,
  type JobState,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { CliError, exitCodes, type Output } from '../output.js';
import {
  loadGatewayState,
  requireInventory,
  type GlobalOptions,
} from '../runtime.js';
import { readJob } from './jobInfo.js';
import { gateOf, gateOptions } from './gateOptions.js';
import { engineFor, runAndReport } from './runJob.js';
import { withStore, type Verb } from './verb.js';
import type { GateOptions } from '../wiring.js';

/**
 * `rotor restart <job>` and `rotor retry <job>`: reopens a finished job
 * (checked by the core's `decideReopen`), appends to the same job, and runs
 * it in this process. A refusal changes nothing.
 */
export const reopenJob = async (
  opts: GlobalOptions,
  jobId: string,
  purpose: 'restart' | 'retry',
  o: { readonly wait?: boolean; readonly gate?: GateOptions },
  out: Output,
): Promise<{ jobId: string; status: string }> => {
  const inv = requireInventory(opts);

  return withStore(opts, async (store) => {
    const state: JobState = await readJob(store, jobId);
    let active: ActiveJob | undefined;
    if (state.status !== 'unscheduled') {
      const gw = await loadGatewayState(store, state.job.gatewayUid);
      active = gw.activeJobs.get(state.job.userUid);
    }
    const { engine } = await engineFor(opts, inv, store, o.gate);
    const reopened = await engine.reopen(
      {
        type: 'ReopenJob',
        jobId,
        purpose,
        by: process.env['USER'] ?? 'cli',
        at: systemClock.now().toISOString(),
      },
      active,
    );
    if (E.isLeft(reopened)) {
      throw new CliError(describeReopenError(reopened.left));
    }
    out.line(`Job ${jobId} reopened for ${purpose}.`);

    return runAndReport(
      inv,
      store,
      engine,
      jobId,
      {
        ...(o.wait === undefined ? {} : { wait: o.wait }),
        ...(opts.logger === undefined ? {} : { logger: opts.logger }),
      },
      out,
    );
  });
};

/** `rotor restart <job>` and `rotor retry <job>`. */
export const reopenVerbs: Verb = (program, global, out) => {
  const verbs = [
    [
      'restart',
      'do the restarts a job deferred (--no-restart) or halted (a failed canary), and its failed restarts; only services that were running',
    ],
    [
      'retry',
      'do again only the dependents and machines of a job that failed, with the password of that job',
    ],
  ] as const;
  for (const [purpose, description] of verbs) {
    gateOptions(
      program
        .command(`${purpose} <job>`)
        .description(description)
        .option(
          '--wait',
          'show live progress per machine (redrawn in place on a terminal) and the summary',
        ),
    ).action(
      async (
        job: string,
        o: { wait?: boolean; logonBudget?: number; lockoutThreshold?: number },
      ) => {
        const { status } = await reopenJob(
          global(),
          job,
          purpose,
          {
            ...(o.wait === undefined ? {} : { wait: o.wait }),
            gate: gateOf(o),
          },
          out,
        );
        if (status !== 'finished') {
          process.exitCode = exitCodes.jobNotClean;
        }
      },
    );
  }
};
