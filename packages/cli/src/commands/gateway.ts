import { requireInventory } from '../runtime.js';
import { renderTable } from '../table.js';
import type { Verb } from './verb.js';

/** `rotor gateway list`. */
export const gatewayVerb: Verb = (program, global, out) => {
  const gateway = program
    .command('gateway')
    .description('the gateways of the inventory');
  gateway
    .command('list')
    .description('name, uid and status of each gateway')
    .action(() => {
      const inv = requireInventory(global());
      // TODO(5): status from the heartbeats of `rotor gateway run`
      // processes; until they exist no gateway process is ever running, so
      // every gateway is shown OFFLINE and jobs run inside the CLI process.
      const rows = inv.gateways.map((g) => ({
        name: g.name,
        uid: g.uid,
        status: 'OFFLINE',
      }));
      out.data({ gateways: rows });
      out.line(
        renderTable(
          ['Gateway Name', 'Gateway UID', 'Status'],
          rows.map((r) => [r.name, r.uid, r.status]),
        ),
      );
    });
};
