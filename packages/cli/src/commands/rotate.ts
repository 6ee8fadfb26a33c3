import {
  decide,
  describeWarning,
  nodeRandom,
  randomIds,
  systemClock,
  targetsFor,
  type EventStore,
  type JobOptions,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedInventory } from '../inventory.js';
import { readSecretRef } from '../inventory.js';
import { CliError, type Output } from '../output.js';
import {
  appendDecision,
  loadGatewayState,
  orDecideError,
  requireInventory,
  resolveGateway,
  userRef,
  type GlobalOptions,
} from '../runtime.js';
import { dryRun } from './dryRun.js';
import { readJob } from './jobInfo.js';
import { engineFor, runAndReport } from './runJob.js';
import { withStore } from './verb.js';
import type { GateOptions } from '../wiring.js';

/** How `rotate` was asked to run. */
export interface RotateOptions {
  readonly user: string;
  readonly gateway?: string;
  readonly wait?: boolean;
  readonly external?: boolean;
  readonly restart?: boolean;
  /** Survey every machine before the password changes; abort on failure. */
  readonly preflight?: boolean;
  /** Print the plan and change nothing. */
  readonly dryRun?: boolean;
  /**
   * For `external`: where the password set elsewhere is (an environment
   * variable or a file); it becomes the user's current password, tagged
   * with the job, before the job propagates it.
   */
  readonly newPassword?: { readonly env: string } | { readonly file: string };
  readonly gate?: GateOptions;
}

const pickGateway = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  userUid: string,
  store: EventStore,
  given: string | undefined,
) => {
  if (given !== undefined) {
    return resolveGateway(inv, given);
  }
  const candidates = [];
  for (const g of inv.gateways) {
    const state = await loadGatewayState(store, g.uid);
    if (targetsFor(state, userUid).length > 0) {
      candidates.push(g);
    }
  }
  if (candidates.length === 1 && candidates[0] !== undefined) {
    return candidates[0];
  }
  if (candidates.length === 0) {
    const only = inv.gateways.length === 1 ? inv.gateways[0] : undefined;
    if (only !== undefined) {
      return only;
    }
    throw new CliError(
      `user ${userUid} has no mappings on any gateway of ${opts.inventory}`,
    );
  }
  throw new CliError(
    `user ${userUid} is mapped on several gateways (${candidates.map((c) => c.name).join(', ')}); name one with -g`,
  );
};

/**
 * Decides the rotation of one user (appending nothing): the gateway it
 * runs on and the core's decision, or the core's refusal.
 */
export const decideRotation = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  store: EventStore,
  userUid: string,
  o: Pick<RotateOptions, 'gateway' | 'external' | 'restart' | 'preflight'>,
) => {
  const gateway = await pickGateway(opts, inv, userUid, store, o.gateway);
  const state = await loadGatewayState(store, gateway.uid);
  const jobId = randomIds(nodeRandom).newUid();
  const options: JobOptions = {
    external: o.external === true,
    restart: o.restart !== false,
    ...(o.preflight === true ? { preflight: true } : {}),
  };
  const decided = decide(
    {
      type: 'ScheduleRotation',
      userUid,
      jobId,
      options,
      by: process.env['USER'] ?? 'cli',
      at: systemClock.now().toISOString(),
    },
    state,
    { inventory: inv.inventory, gatewayUid: gateway.uid },
  );

  return { gateway, jobId, decided };
};

/** Schedules a rotation and runs it in this process. Returns the job id. */
export const rotate = async (
  opts: GlobalOptions,
  o: RotateOptions,
  out: Output,
): Promise<{ jobId: string; status: string }> => {
  const inv = requireInventory(opts);
  const userUid = userRef(inv, o.user);
  if (o.newPassword !== undefined && o.external !== true) {
    throw new CliError('--new-password-env/-file needs --external');
  }
  if (o.dryRun === true && o.preflight === true) {
    throw new CliError('--dry-run and --preflight do not go together');
  }
  const external = o.newPassword === undefined ? undefined : readNew(o);

  return withStore(opts, async (store) => {
    const { gateway, jobId, decided } = await decideRotation(
      opts,
      inv,
      store,
      userUid,
      o,
    );
    const decision = orDecideError(decided);
    for (const w of decision.warnings) {
      out.line(`warning: ${describeWarning(w)}`);
    }
    if (o.dryRun === true) {
      const scheduled = decision.events[0];
      if (scheduled?.type !== 'RotationScheduled') {
        throw new CliError(
          `user ${userUid} already has job ${decision.jobId ?? '?'} running; a dry run previews a new rotation only`,
        );
      }
      // A dry run is not recorded: it changes nothing, and a job in the
      // store would count as a rotation that happened.
      const readable = await dryRun(
        opts,
        inv,
        scheduled.data,
        gateway.name,
        out,
      );

      return { jobId: '', status: readable ? 'dry-run' : 'dry-run-unreadable' };
    }
    if (decision.events.length === 0 && decision.jobId !== undefined) {
      // The user's job is still open (an interrupted run): it is resumed
      // as it was scheduled, so options asking for something else are
      // refused rather than silently ignored.
      const open = await readJob(store, decision.jobId);
      const wanted = {
        external: o.external === true,
        restart: o.restart !== false,
      };
      if (
        open.status !== 'unscheduled' &&
        (open.job.options.external !== wanted.external ||
          open.job.options.restart !== wanted.restart ||
          external !== undefined)
      ) {
        throw new CliError(
          `user ${userUid} has job ${decision.jobId} open, scheduled with ` +
            `--external ${String(open.job.options.external)} and restarts ` +
            `${open.job.options.restart ? 'on' : 'off'}; rotate without ` +
            'other options to resume it as scheduled',
        );
      }
    }
    // The engine first: options it refuses (a budget not under the
    // lockout threshold) must refuse before a job is written.
    const { engine, secrets } = await engineFor(opts, inv, store, o.gate);
    await appendDecision(store, decision);
    const id = decision.jobId ?? jobId;
    out.line(`Scheduled action id: ${id}`);
    if (external !== undefined && decision.events.length > 0) {
      const staged = await secrets.stage(userUid, external, id);
      const promoted = E.isLeft(staged)
        ? staged
        : await secrets.promote(userUid, staged.right.version);
      if (E.isLeft(promoted)) {
        throw new CliError(`secrets: ${promoted.left.message}`, 1);
      }
    }

    return runAndReport(
      inv,
      store,
      engine,
      id,
      {
        ...(o.wait === undefined ? {} : { wait: o.wait }),
        ...(opts.logger === undefined ? {} : { logger: opts.logger }),
      },
      out,
    );
  });
};

const readNew = (o: RotateOptions) => {
  const ref = o.newPassword;
  if (ref === undefined) {
    return undefined;
  }
  const read = readSecretRef(ref);
  if (E.isLeft(read)) {
    throw new CliError(read.left.message);
  }

  return read.right;
};

// Re-exported for the verbs that imported them from here.
export { gateOf, gateOptions } from './gateOptions.js';
