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
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedInventory } from '../inventory.js';
import { readSecretRef } from '../inventory.js';
import { CliError, exitCodes, type Output } from '../output.js';
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
import { engineFor, runAndReport } from './runJob.js';
import { withStore, type Verb } from './verb.js';
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
    const gateway = await pickGateway(opts, inv, userUid, store, o.gateway);
    const state = await loadGatewayState(store, gateway.uid);
    const jobId = randomIds(nodeRandom).newUid();
    const options: JobOptions = {
      external: o.external === true,
      restart: o.restart !== false,
      ...(o.preflight === true ? { preflight: true } : {}),
    };
    const decision = orDecideError(
      decide(
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
      ),
    );
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
    await appendDecision(store, decision);
    const id = decision.jobId ?? jobId;
    out.line(`Scheduled action id: ${id}`);
    const { engine, secrets } = await engineFor(opts, inv, store, o.gate);
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
      { ...(o.wait === undefined ? {} : { wait: o.wait }) },
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

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new CliError(`${name} must be a whole number of at least 1`);
  }

  return n;
};

/** The options that gate restarts, shared by rotate, restart and retry. */
export const gateOptions = <C extends Command>(c: C): C =>
  c
    .option(
      '--logon-budget <n>',
      'failed logons the restarts may cause before the rest are halted (default 2)',
      positive('--logon-budget'),
    )
    .option(
      '--lockout-threshold <n>',
      "the domain's account lockout threshold; the budget must stay under it",
      positive('--lockout-threshold'),
    );

/** Reads the gate options a command was given. */
export const gateOf = (o: {
  logonBudget?: number;
  lockoutThreshold?: number;
}): GateOptions => ({
  ...(o.logonBudget === undefined ? {} : { logonFailureBudget: o.logonBudget }),
  ...(o.lockoutThreshold === undefined
    ? {}
    : { lockoutThreshold: o.lockoutThreshold }),
});

// TODO(8): bulk rotation (several users, or every user mapped on a
// gateway, with a bound on jobs at once) is not built yet.

/** `rotor rotate -r <user>`. */
export const rotateVerb: Verb = (program, global, out) => {
  gateOptions(
    program
      .command('rotate')
      .description("rotate a user's password and fix every mapped dependent")
      .requiredOption(
        '-r, --record <user>',
        'the user to rotate (uid or title)',
      )
      .option(
        '-g, --gateway <gateway>',
        'the gateway, when the user is mapped on several',
      )
      .option('--wait', 'show live progress per machine and the summary')
      .option(
        '--external',
        'propagate a password changed elsewhere (the current one in the secret store, or --new-password-*); do not change the account',
      )
      .option(
        '--new-password-env <var>',
        'with --external: the environment variable holding the password set elsewhere',
      )
      .option(
        '--new-password-file <file>',
        'with --external: the file holding the password set elsewhere',
      )
      .option(
        '--no-restart',
        'set passwords now; leave restarts for `rotor restart`',
      )
      .option(
        '--preflight',
        'reach, log on to and enumerate every machine first; change nothing if one fails',
      )
      .option(
        '--dry-run',
        'print what would be set and restarted on each machine; change and record nothing',
      ),
  ).action(
    async (o: {
      record: string;
      gateway?: string;
      wait?: boolean;
      external?: boolean;
      restart?: boolean;
      preflight?: boolean;
      dryRun?: boolean;
      newPasswordEnv?: string;
      newPasswordFile?: string;
      logonBudget?: number;
      lockoutThreshold?: number;
    }) => {
      if (o.newPasswordEnv !== undefined && o.newPasswordFile !== undefined) {
        throw new CliError(
          'give one of --new-password-env and --new-password-file',
        );
      }
      const newPassword =
        o.newPasswordEnv !== undefined
          ? { env: o.newPasswordEnv }
          : o.newPasswordFile !== undefined
            ? { file: o.newPasswordFile }
            : undefined;
      const { status } = await rotate(
        global(),
        {
          user: o.record,
          ...(o.gateway === undefined ? {} : { gateway: o.gateway }),
          ...(o.wait === undefined ? {} : { wait: o.wait }),
          ...(o.external === undefined ? {} : { external: o.external }),
          ...(o.restart === undefined ? {} : { restart: o.restart }),
          ...(o.preflight === undefined ? {} : { preflight: o.preflight }),
          ...(o.dryRun === undefined ? {} : { dryRun: o.dryRun }),
          ...(newPassword === undefined ? {} : { newPassword }),
          gate: gateOf(o),
        },
        out,
      );
      if (status !== 'finished' && status !== 'dry-run') {
        process.exitCode = exitCodes.jobNotClean;
      }
    },
  );
};
