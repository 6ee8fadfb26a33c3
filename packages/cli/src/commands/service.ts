import type { Command } from 'commander';
import {
  decide,
  describeWarning,
  mappingsOf,
  systemClock,
  type GatewayCommand,
  type GatewayState,
} from '@rotor/core';
import type { LoadedInventory } from '../inventory.js';
import type { Output } from '../output.js';
import { CliError } from '../output.js';
import {
  appendDecision,
  loadGatewayState,
  machineRef,
  orDecideError,
  requireInventory,
  resolveGateway,
  userRef,
  type GlobalOptions,
} from '../runtime.js';
import { renderTable } from '../table.js';
import { discover } from './discover.js';
import { withStore, type Verb } from './verb.js';

interface MappingOptions {
  readonly gateway: string;
  readonly machine?: string;
  readonly user?: string;
  readonly type?: ReadonlyArray<string>;
}

const who = (): string => process.env['USER'] ?? 'cli';

/**
 * Runs one mapping command through the core's decider and appends what it
 * decides. The demo records its mappings through this same function.
 */
export const applyMappingCommand = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  gatewayRef: string,
  build: (meta: { by: string; at: string }) => GatewayCommand,
  out: Output,
): Promise<void> => {
  const gateway = resolveGateway(inv, gatewayRef);
  await withStore(opts, async (store) => {
    const state = await loadGatewayState(store, gateway.uid);
    const command = build({ by: who(), at: systemClock.now().toISOString() });
    const decision = orDecideError(
      decide(command, state, {
        inventory: inv.inventory,
        gatewayUid: gateway.uid,
      }),
    );
    await appendDecision(store, decision);
    const warnings = decision.warnings.map(describeWarning);
    for (const w of warnings) {
      out.line(`warning: ${w}`);
    }
    out.line(
      decision.events.length === 0
        ? 'Nothing to change.'
        : `${decision.events.length} change(s) recorded.`,
    );
    out.data({ events: decision.events, warnings });
  });
};

const kinds = (o: MappingOptions): ReadonlyArray<string> | undefined =>
  o.type === undefined || o.type.length === 0 ? undefined : o.type;

const requireBoth = (o: MappingOptions): { machine: string; user: string } => {
  if (o.machine === undefined || o.user === undefined) {
    throw new CliError('give both -m <machine> and -u <user>');
  }

  return { machine: o.machine, user: o.user };
};

const exactlyOne = (o: MappingOptions) => {
  if ((o.machine === undefined) === (o.user === undefined)) {
    throw new CliError('give exactly one of -m <machine> and -u <user>');
  }
};

const listRows = (state: GatewayState, inv: LoadedInventory) => {
  const name = (
    uid: string,
    list: ReadonlyArray<{ uid: string }>,
    f: (x: never) => string,
  ) => {
    const r = list.find((x) => x.uid === uid);

    return r === undefined ? `${uid} (not in inventory)` : f(r as never);
  };
  const byUser = new Map<string, Map<string, string[]>>();
  for (const m of mappingsOf(state)) {
    const machines = byUser.get(m.userUid) ?? new Map<string, string[]>();
    machines.set(m.machineUid, [...(machines.get(m.machineUid) ?? []), m.kind]);
    byUser.set(m.userUid, machines);
  }

  return [...byUser].map(([userUid, machines]) => ({
    userUid,
    user: name(userUid, inv.users, (u: { title: string }) => u.title),
    disabled: state.disabledUsers.has(userUid),
    machines: [...machines].map(([machineUid, ks]) => ({
      machineUid,
      machine: name(machineUid, inv.machines, (x: { name: string }) => x.name),
      kinds: ks,
      disabled: state.disabledMachines.has(machineUid),
    })),
  }));
};

/** `rotor service add|remove|list|enable|disable`. */
export const serviceVerb: Verb = (program, global, out) => {
  const service = program
    .command('service')
    .description('map users to the machines whose dependents they run');
  const withMappingOptions = (c: Command) =>
    c
      .requiredOption('-g, --gateway <gateway>', 'gateway name or uid')
      .option('-m, --machine <machine>', 'machine name or uid')
      .option('-u, --user <user>', 'user title or uid')
      .option(
        '-t, --type <kind...>',
        'service, task or iis (repeatable; all three when absent)',
      );

  withMappingOptions(service.command('add'))
    .description(
      'fix these kinds of dependents on the machine when the user rotates',
    )
    .action(async (o: MappingOptions) => {
      const opts = global();
      const inv = requireInventory(opts);
      const { machine, user } = requireBoth(o);
      const k = kinds(o);
      await applyMappingCommand(
        opts,
        inv,
        o.gateway,
        (meta) => ({
          type: 'AddMapping',
          machineUid: machineRef(inv, machine),
          userUid: userRef(inv, user),
          ...(k === undefined ? {} : { kinds: k }),
          ...meta,
        }),
        out,
      );
    });

  withMappingOptions(service.command('remove'))
    .description('stop fixing these kinds of dependents on the machine')
    .action(async (o: MappingOptions) => {
      const opts = global();
      const inv = requireInventory(opts);
      const { machine, user } = requireBoth(o);
      const k = kinds(o);
      await applyMappingCommand(
        opts,
        inv,
        o.gateway,
        (meta) => ({
          type: 'RemoveMapping',
          machineUid: machineRef(inv, machine),
          userUid: userRef(inv, user),
          ...(k === undefined ? {} : { kinds: k }),
          ...meta,
        }),
        out,
      );
    });

  for (const verb of ['enable', 'disable'] as const) {
    withMappingOptions(service.command(verb))
      .description(
        `${verb} rotations for every mapping of one machine or one user`,
      )
      .action(async (o: MappingOptions) => {
        const opts = global();
        const inv = requireInventory(opts);
        exactlyOne(o);
        const scope =
          o.machine === undefined
            ? { userUid: userRef(inv, o.user ?? '') }
            : { machineUid: machineRef(inv, o.machine) };
        await applyMappingCommand(
          opts,
          inv,
          o.gateway,
          (meta) => ({
            type: verb === 'enable' ? 'EnableMapping' : 'DisableMapping',
            scope,
            ...meta,
          }),
          out,
        );
      });
  }

  service
    .command('map')
    .description(
      'add the mappings discovery implies on every machine of a gateway (only ever adds; an unreachable machine removes nothing)',
    )
    .requiredOption('-g, --gateway <gateway>', 'gateway name or uid')
    .action(async (o: { gateway: string }) => {
      await discover(global(), { gateway: o.gateway }, true, out);
    });

  service
    .command('list')
    .description('the mappings of a gateway, machines grouped under each user')
    .requiredOption('-g, --gateway <gateway>', 'gateway name or uid')
    .action(async (o: { gateway: string }) => {
      const opts = global();
      const inv = requireInventory(opts);
      const gateway = resolveGateway(inv, o.gateway);
      await withStore(opts, async (store) => {
        const rows = listRows(await loadGatewayState(store, gateway.uid), inv);
        out.data({ gateway: gateway.uid, users: rows });
        if (rows.length === 0) {
          out.line(`No mappings on gateway ${gateway.name}.`);

          return;
        }
        const table: string[][] = [];
        for (const u of rows) {
          table.push([
            `${u.user}${u.disabled ? ' (disabled)' : ''}`,
            u.userUid,
            '',
            '',
          ]);
          for (const m of u.machines) {
            table.push([
              '',
              '',
              `${m.machine}${m.disabled ? ' (disabled)' : ''}`,
              m.kinds.join(', '),
            ]);
          }
        }
        out.line(renderTable(['User', 'User UID', 'Machine', 'Kinds'], table));
      });
    });
};
