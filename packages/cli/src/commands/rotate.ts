import {
  decide,
  describeWarning,
  nodeRandom,
  randomIds,
  systemClock,
  targetsFor,
  type RecordedEvent,
} from '@rotor/core';
import { lastValueFrom, tap } from 'rxjs';
import type { LoadedInventory } from '../inventory.js';
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
import { openSecrets } from '../secrets.js';
import { buildEngine, seedSecrets } from '../wiring.js';
import { jobInfoOf, printJobInfo, readJob } from './jobInfo.js';
import { withStore, type Verb } from './verb.js';

/** How `rotate` was asked to run. */
export interface RotateOptions {
  readonly user: string;
  readonly gateway?: string;
  readonly wait?: boolean;
  readonly external?: boolean;
  readonly restart?: boolean;
}

const progressLine = (
  event: RecordedEvent,
  machineName: (uid: string) => string,
): string | undefined => {
  const d = event.data as Record<string, unknown>;
  const m =
    typeof d['machineUid'] === 'string' ? machineName(d['machineUid']) : '';
  const dep = typeof d['dependent'] === 'string' ? d['dependent'] : '';
  const err = d['error'] as { code?: string; message?: string } | undefined;
  switch (event.type) {
    case 'PasswordChanged':
      return `  password changed (secret version ${String(d['secretVersion'])}, by ${String(d['by'])})`;
    case 'PasswordChangeFailed':
      return `  password NOT changed: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'DependentsFound': {
      const n = Array.isArray(d['dependents']) ? d['dependents'].length : 0;

      return `  ${m}: ${n} dependent(s) found`;
    }
    case 'ServiceCredentialUpdated':
    case 'TaskCredentialUpdated':
    case 'AppPoolCredentialUpdated':
      return `  ${m}: ${dep}: password set`;
    case 'ServiceRestarted':
      return `  ${m}: ${dep}: restarted`;
    case 'AppPoolRecycled':
      return `  ${m}: ${dep}: recycled`;
    case 'ServiceRestartSkipped':
      return `  ${m}: ${dep}: not restarted (${String(d['reason'])})`;
    case 'DependentFailed':
      return `  ${m}: ${dep}: FAILED at ${String(d['step'])}: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'MachineFailed':
      return `  ${m}: MACHINE FAILED: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'JobFinished':
      return `  finished: ${String(d['status'])}`;
    default:
      return undefined;
  }
};

const pickGateway = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  userUid: string,
  store: Parameters<Parameters<typeof withStore>[1]>[0],
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

  return withStore(opts, async (store) => {
    const gateway = await pickGateway(opts, inv, userUid, store, o.gateway);
    const state = await loadGatewayState(store, gateway.uid);
    const jobId = randomIds(nodeRandom).newUid();
    const decision = orDecideError(
      decide(
        {
          type: 'ScheduleRotation',
          userUid,
          jobId,
          options: {
            external: o.external === true,
            restart: o.restart !== false,
          },
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
    await appendDecision(store, decision);
    const id = decision.jobId ?? jobId;
    out.line(`Scheduled action id: ${id}`);

    const secrets = await openSecrets(opts);
    await seedSecrets(inv, secrets);
    const engine = buildEngine({ inv, store, secrets });
    const machineName = (uid: string) =>
      inv.machines.find((m) => m.uid === uid)?.name ?? uid;
    await lastValueFrom(
      engine.run(id).pipe(
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
    const info = jobInfoOf(await readJob(store, id), inv);
    if (info === undefined) {
      throw new CliError(`job ${id} vanished from the store`, 1);
    }
    if (o.wait === true) {
      out.line('');
      printJobInfo(out, info);
    }
    out.data(info);

    return { jobId: id, status: info.status };
  });
};

/** `rotor rotate -r <user>`. */
export const rotateVerb: Verb = (program, global, out) => {
  program
    .command('rotate')
    .description("rotate a user's password and fix every mapped dependent")
    .requiredOption('-r, --record <user>', 'the user to rotate (uid or title)')
    .option(
      '-g, --gateway <gateway>',
      'the gateway, when the user is mapped on several',
    )
    .option('--wait', 'show live progress per machine and the summary')
    .option(
      '--external',
      'propagate a password changed elsewhere; do not change the account',
    )
    .option('--no-restart', 'set passwords now; leave restarts for later')
    .action(
      async (o: {
        record: string;
        gateway?: string;
        wait?: boolean;
        external?: boolean;
        restart?: boolean;
      }) => {
        const { status } = await rotate(
          global(),
          { ...o, user: o.record },
          out,
        );
        if (status !== 'finished') {
          process.exitCode = exitCodes.jobNotClean;
        }
      },
    );
};
