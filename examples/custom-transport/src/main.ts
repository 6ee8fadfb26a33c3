import * as E from 'fp-ts/lib/Either.js';
import { pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import {
  Secret,
  allKinds,
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  inventoryOf,
  nodeRandom,
  randomIds,
  systemClock,
  type InventoryRecord,
  type Machine,
} from '@rotor/core';
import {
  demoFleet,
  demoPasswords,
  startSimSshServer,
  type SimSshServer,
} from '@rotor/testkit';
import { createSshTransport } from '@rotor/transport-ssh';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import { startJumpHost, type Route } from './jumpHost.js';
import { submitter } from './submit.js';
import { viaJumpHost } from './viaJumpHost.js';

/**
 * Rotates `CONTOSO\svc-app` on the demo fleet, whose machines sit behind a
 * jump host: the inventory names them by inside addresses
 * (`app01.corp.invalid:22`) that only the hop can reach. The SSH transport
 * is rotor's own, wrapped by {@link viaJumpHost}; nothing in rotor knows
 * about the hop.
 */
export const main = async () => {
  const fleet = demoFleet();
  const adminPassword = Secret.of('admin-password');
  const users = [{ username: fleet.admin.login, password: adminPassword }];
  const servers = new Map<string, SimSshServer>();
  const routes = new Map<string, Route>();
  const machines: Machine[] = [];
  const hop = startJumpHost(routes);
  try {
    for (const machine of fleet.machines.values()) {
      const host = fleet.hosts.get(machine.uid);
      if (host === undefined) {
        throw new Error(`no simulated host for ${machine.name}`);
      }
      const server = await startSimSshServer({ host, users });
      const inside = `${machine.name.toLowerCase()}.corp.invalid`;
      servers.set(machine.name, server);
      routes.set(`${inside}:22`, { host: server.host, port: server.port });
      machines.push({
        ...machine,
        host: inside,
        port: 22,
        protocol: 'ssh',
        trust: { hostKeyFingerprint: server.hostKeyFingerprint },
      });
    }
    const inventory = inventoryOf([
      ...fleet.records.filter((r: InventoryRecord) => r.type !== 'machine'),
      ...machines,
    ]);
    const user = fleet.users.get('svc-app');
    if (user === undefined) {
      throw new Error('the demo fleet has no svc-app');
    }
    const store = createMemoryEventStore();
    const submit = submitter(store, inventory, fleet.gateway.uid);
    const [at, by] = [systemClock.now().toISOString(), 'custom-transport'];
    for (const machine of machines) {
      const kinds = [...allKinds];
      await submit({
        type: 'AddMapping',
        machineUid: machine.uid,
        userUid: user.uid,
        kinds,
        by,
        at,
      });
    }
    const jobId = randomIds(nodeRandom).newUid();
    const options = { external: false, restart: true };
    await submit({
      type: 'ScheduleRotation',
      userUid: user.uid,
      jobId,
      options,
      by,
      at,
    });

    const ssh = createSshTransport({
      credentials: () =>
        Promise.resolve(
          E.right({ username: fleet.admin.login, password: adminPassword }),
        ),
    });
    const host = createWindowsHost(viaJumpHost(ssh, hop));
    const engine = createEngine({
      store,
      host,
      secrets: createMemorySecretStore({
        [user.uid]: demoPasswords['svc-app'],
      }),
      rotator: hostAccountRotator({ host, inventory }),
      inventory,
      clock: systemClock,
      random: nodeRandom,
    });
    const events = await lastValueFrom(engine.run(jobId).pipe(toArray()));

    return { events, fleet, hop, servers };
  } finally {
    await hop.close();
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
};

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  main().then(
    ({ events }) => {
      for (const event of events) {
        console.log(event.revision, event.type);
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
