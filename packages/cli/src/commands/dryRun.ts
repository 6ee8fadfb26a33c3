import {
  previewRotation,
  type MachineAction,
  type RotationPreview,
  type RotationScheduled,
} from '@rotor/core';
import type { LoadedInventory } from '../inventory.js';
import type { Output } from '../output.js';
import type { GlobalOptions } from '../runtime.js';
import { openSecrets } from '../secrets.js';
import { renderTable } from '../table.js';
import { buildHost, seedSecrets } from '../wiring.js';

const describeAction = (a: MachineAction): [string, string, string] => {
  switch (a.type) {
    case 'Enumerate':
      return ['enumerate', '-', '-'];
    case 'UpdateCredential':
      return ['set password', a.dependent.kind, a.dependent.name];
    case 'RestartService':
      return ['restart', 'service', a.service.name];
    case 'SkipRestart':
      return [
        a.reason === 'not-running'
          ? 'no restart (not running)'
          : 'no restart (deferred: --no-restart)',
        'service',
        a.service.name,
      ];
    case 'RecycleAppPool':
      return ['recycle', 'iis', a.pool.name];
  }
};

/** The rows of a preview, one per action or unreachable machine. */
export const previewRows = (
  preview: RotationPreview,
  machineName: (uid: string) => string,
): ReadonlyArray<{
  machine: string;
  action: string;
  kind: string;
  dependent: string;
}> =>
  preview.machines.flatMap((m) => {
    const machine = machineName(m.machineUid);
    if (m.failure !== undefined) {
      return [
        {
          machine,
          action: `CANNOT REACH: ${m.failure.code} ${m.failure.message}`,
          kind: '-',
          dependent: '-',
        },
      ];
    }
    if (m.actions.length === 0) {
      return [{ machine, action: 'nothing to do', kind: '-', dependent: '-' }];
    }

    return m.actions.map((a) => {
      const [action, kind, dependent] = describeAction(a);

      return { machine, action, kind, dependent };
    });
  });

/**
 * `rotate --dry-run`: enumerates every target (read-only) and prints what
 * a rotation would set and restart. Nothing is changed or recorded.
 * Returns whether every machine could be read.
 */
export const dryRun = async (
  opts: GlobalOptions,
  inv: LoadedInventory,
  scheduled: RotationScheduled['data'],
  gatewayName: string,
  out: Output,
): Promise<boolean> => {
  const secrets = await openSecrets(opts);
  await seedSecrets(inv, secrets);
  const host = buildHost({
    inv,
    secrets,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
  });
  let preview: RotationPreview;
  try {
    preview = await previewRotation(
      { host, inventory: inv.inventory },
      {
        gatewayUid: scheduled.gatewayUid,
        userUid: scheduled.userUid,
        targets: scheduled.targets,
        options: scheduled.options,
      },
    );
  } finally {
    await host.close();
  }
  const machineName = (uid: string) =>
    inv.machines.find((m) => m.uid === uid)?.name ?? uid;
  const user =
    inv.users.find((u) => u.uid === scheduled.userUid)?.title ??
    scheduled.userUid;
  const rows = previewRows(preview, machineName);
  out.line(
    `Dry run: rotate ${user} on gateway ${gatewayName}. Nothing is changed or recorded.`,
  );
  out.line(
    scheduled.options.external
      ? 'The password would be taken from the secret store (--external).'
      : 'The password would be changed first.',
  );
  out.line('');
  out.line(
    renderTable(
      ['Machine', 'Would', 'Kind', 'Dependent'],
      rows.map((r) => [r.machine, r.action, r.kind, r.dependent]),
    ),
  );
  const unreachable = preview.machines.filter((m) => m.failure !== undefined);
  if (unreachable.length > 0) {
    out.line('');
    out.line(
      `${unreachable.length} machine(s) could not be read; a rotation now would fail there.`,
    );
  }
  out.data({ dryRun: true, preview, rows });

  return unreachable.length === 0;
};
