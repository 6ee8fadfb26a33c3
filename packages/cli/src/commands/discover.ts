import {
  decideDiscovery,
  describeWarning,
  systemClock,
  type DiscoveryResult,
  type Gateway,
  type Machine,
} from '@rotor/core';
import { discoverMachine } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedInventory } from '../inventory.js';
import { CliError, exitCodes, type Output } from '../output.js';
import {
  appendDecision,
  loadGatewayState,
  machineRef,
  requireInventory,
  resolveGateway,
  type GlobalOptions,
} from '../runtime.js';
import { openSecrets } from '../secrets.js';
import { renderTable } from '../table.js';
import { buildTransport, seedSecrets } from '../wiring.js';
import { withStore, type Verb } from './verb.js';

const scopeOf = (
  inv: LoadedInventory,
  o: { readonly machine?: string; readonly gateway?: string },
): { gateway: Gateway; machines: ReadonlyArray<Machine> } => {
  if ((o.machine === undefined) === (o.gateway === undefined)) {
    throw new CliError('give exactly one of -m <machine> and -g <gateway>');
  }
  if (o.machine !== undefined) {
    const uid = machineRef(inv, o.machine);
    const machine = inv.machines.find((m) => m.uid === uid);
    if (machine === undefined) {
      throw new CliError(`no machine '${o.machine}' in the inventory`);
    }
    const gateway = inv.gateways.find((g) => g.uid === machine.gatewayUid);
    if (gateway === undefined) {
      throw new CliError(`machine ${machine.name} has no gateway`);
    }

    return { gateway, machines: [machine] };
  }
  const gateway = resolveGateway(inv, o.gateway ?? '');

  return {
    gateway,
    machines: inv.machines.filter((m) => m.gatewayUid === gateway.uid),
  };
};

/**
 * Discovers the machines, records what was found on the gateway's mapping
 * stream, and with `map` adds the mappings it implies (only ever adds).
 */
export const discover = async (
  opts: GlobalOptions,
  o: { readonly machine?: string; readonly gateway?: string },
  map: boolean,
  out: Output,
): Promise<void> => {
  const inv = requireInventory(opts);
  const { gateway, machines } = scopeOf(inv, o);
  const secrets = await openSecrets(opts);
  await seedSecrets(inv, secrets);
  const transport = buildTransport({
    inv,
    secrets,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
  });
  let results: ReadonlyArray<DiscoveryResult>;
  try {
    results = await Promise.all(
      machines.map((m) =>
        discoverMachine(transport, m, {
          users: inv.users,
          ...(opts.logger === undefined ? {} : { logger: opts.logger }),
        }),
      ),
    );
  } finally {
    await transport.close();
  }
  await withStore(opts, async (store) => {
    const state = await loadGatewayState(store, gateway.uid);
    const decision = decideDiscovery(
      {
        type: 'RecordDiscovery',
        results,
        map,
        by: process.env['USER'] ?? 'cli',
        at: systemClock.now().toISOString(),
      },
      state,
      { inventory: inv.inventory, gatewayUid: gateway.uid },
    );
    await appendDecision(store, decision);
    const warnings = decision.warnings.map(describeWarning);
    for (const w of warnings) {
      out.line(`warning: ${w}`);
    }
    const machineName = (uid: string) =>
      inv.machines.find((m) => m.uid === uid)?.name ?? uid;
    const userTitle = (uid: string | undefined) =>
      uid === undefined
        ? ''
        : (inv.users.find((u) => u.uid === uid)?.title ?? uid);
    const rows = results.flatMap((r) =>
      E.isLeft(r.outcome)
        ? [
            [
              machineName(r.machineUid),
              '-',
              '-',
              '-',
              `UNREACHABLE: ${r.outcome.left.code} ${r.outcome.left.message}`,
            ],
          ]
        : r.outcome.right.map((d) => [
            machineName(r.machineUid),
            d.kind,
            d.name,
            d.account === '' ? '-' : d.account,
            userTitle(d.userUid),
          ]),
    );
    const added = decision.events.filter((e) => e.type === 'MappingAdded');
    out.data({
      gateway: gateway.uid,
      machines: results.map((r) => ({
        machineUid: r.machineUid,
        machine: machineName(r.machineUid),
        ...(E.isLeft(r.outcome)
          ? { error: r.outcome.left }
          : { dependents: r.outcome.right }),
      })),
      ...(map ? { added: added.map((e) => e.data) } : {}),
      warnings,
    });
    const unreadable = results.filter((r) => E.isLeft(r.outcome)).length;
    if (unreadable > 0) {
      // What was read is recorded and shown, but a script must see that
      // part of the fleet could not be read.
      process.exitCode = exitCodes.jobNotClean;
    }
    if (!map) {
      out.line(
        renderTable(['Machine', 'Kind', 'Name', 'Runs as', 'Known user'], rows),
      );

      return;
    }
    out.line(
      added.length === 0
        ? 'No new mappings: every match is mapped already.'
        : `${added.length} mapping(s) added:`,
    );
    for (const e of added) {
      if (e.type === 'MappingAdded') {
        out.line(
          `  ${userTitle(e.data.userUid)} -> ${machineName(e.data.machineUid)} (${e.data.kind})`,
        );
      }
    }
    if (unreadable > 0) {
      out.line(
        `${unreadable} machine(s) could not be read; their mappings are left as they are.`,
      );
    }
  });
};

/** `rotor discover (-m <machine> | -g <gateway>)`. */
export const discoverVerb: Verb = (program, global, out) => {
  program
    .command('discover')
    .description(
      'list every service, task and app pool with the account it runs as, marking those of known users (recorded)',
    )
    .option('-m, --machine <machine>', 'one machine (name or uid)')
    .option('-g, --gateway <gateway>', 'every machine of a gateway')
    .action(async (o: { machine?: string; gateway?: string }) => {
      await discover(global(), o, false, out);
    });
};
