import { pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import {
  Secret,
  allKinds,
  createEngine,
  createMemoryEventStore,
  nodeRandom,
  randomIds,
  systemClock,
} from '@rotor/core';
import { createWindowsHost } from '@rotor/windows';
import { createSimTransport, demoFleet, demoPasswords } from '@rotor/testkit';
import { directoryRotator, type DirectoryClient } from './directoryRotator.js';
import { submitter } from './submit.js';
import {
  vaultSecretStore,
  type AuditEntry,
  type VaultRecord,
} from './vaultSecretStore.js';

/**
 * Rotates `CONTOSO\svc-app` on the demo fleet (simulated hosts) with the
 * application's vault as the secret store and its directory client as the
 * account rotator. `refuse` makes the directory refuse the change, with a
 * message that echoes the password, as a careless client might.
 */
export const main = async (refuse = false) => {
  const fleet = demoFleet();
  const user = fleet.users.get('svc-app');
  const domain = fleet.domain;
  if (user === undefined || domain === undefined) {
    throw new Error('the demo fleet has no svc-app in a domain');
  }
  const vault = new Map<string, VaultRecord>([
    [
      user.uid,
      {
        versions: [
          { password: Secret.of(demoPasswords['svc-app']), jobId: undefined },
        ],
        current: 1,
      },
    ],
  ]);
  const audit: AuditEntry[] = [];
  const directory: DirectoryClient = {
    resetPassword: (account, password) => {
      if (refuse) {
        return Promise.reject(
          new Error(`policy refuses ${password} for ${account}`),
        );
      }
      const set = domain.setPassword(account, password);

      return set._tag === 'Right'
        ? Promise.resolve()
        : Promise.reject(new Error(`the directory said ${set.left.name}`));
    },
  };

  const store = createMemoryEventStore();
  const submit = submitter(store, fleet.inventory, fleet.gateway.uid);
  const [at, by] = [systemClock.now().toISOString(), 'custom-secret-store'];
  for (const machine of fleet.machines.values()) {
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

  const engine = createEngine({
    store,
    host: createWindowsHost(createSimTransport({ hosts: fleet.hosts })),
    secrets: vaultSecretStore(vault, audit),
    rotator: directoryRotator(directory),
    inventory: fleet.inventory,
    clock: systemClock,
    random: nodeRandom,
  });
  const events = await lastValueFrom(engine.run(jobId).pipe(toArray()));

  return { events, vault, audit, fleet, userUid: user.uid, jobId };
};

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  main().then(
    ({ events, audit }) => {
      for (const line of audit) {
        console.log('audit', JSON.stringify(line));
      }
      console.log(events.at(-1)?.type, JSON.stringify(events.at(-1)?.data));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
