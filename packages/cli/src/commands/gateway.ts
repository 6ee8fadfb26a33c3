import { systemClock } from '@rotor/core';
import { readPresence, statusAt } from '@rotor/gateway';
import * as E from 'fp-ts/lib/Either.js';
import { CliError } from '../output.js';
import { requireInventory } from '../runtime.js';
import { renderTable } from '../table.js';
import { gatewayRunCommand } from './gatewayRun.js';
import { withGatewayStore } from './gatewayStore.js';
import type { Verb } from './verb.js';

/** `rotor gateway list` and `rotor gateway run`. */
export const gatewayVerb: Verb = (program, global, out) => {
  const gateway = program
    .command('gateway')
    .description('the gateways of the inventory, and their processes');
  gateway
    .command('list')
    .description(
      'name, uid and status of each gateway: ONLINE while a `rotor gateway run` process of it is alive',
    )
    .action(async () => {
      const opts = global();
      const inv = requireInventory(opts);
      const rows = await withGatewayStore(opts, async (store) => {
        const now = systemClock.now().getTime();
        const found = [];
        for (const g of inv.gateways) {
          const presence = await readPresence(store, g.uid);
          if (E.isLeft(presence)) {
            throw new CliError(`the event store failed: ${presence.left}`, 1);
          }
          const status = statusAt(presence.right, now);
          found.push({
            name: g.name,
            uid: g.uid,
            status: status.status,
            processes: status.live.length,
          });
        }

        return found;
      });
      out.data({ gateways: rows });
      out.line(
        renderTable(
          ['Gateway Name', 'Gateway UID', 'Status'],
          rows.map((r) => [
            r.name,
            r.uid,
            r.status === 'ONLINE'
              ? `ONLINE (${r.processes} process${r.processes === 1 ? '' : 'es'})`
              : 'OFFLINE',
          ]),
        ),
      );
    });
  gatewayRunCommand(gateway, global, out);
};
