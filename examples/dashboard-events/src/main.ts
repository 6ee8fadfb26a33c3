import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { filter, lastValueFrom, toArray } from 'rxjs';
import {
  allKinds,
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  jobStream,
  nodeRandom,
  randomIds,
  systemClock,
} from '@rotor/core';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import { createSimTransport, demoFleet, demoPasswords } from '@rotor/testkit';
import { submitter } from './submit.js';
import { postEach, untilFinished } from './webhook.js';

/**
 * Schedules a rotation of `CONTOSO\svc-app` on the demo fleet (simulated
 * hosts, in-memory store) and drives a dashboard from it in the two ways
 * an application can: `engine.run(jobId)`, the events of the run it
 * started, and `store.follow`, which any other process can do. The
 * follower POSTs each of the job's events to `webhookUrl`.
 */
export const main = async (webhookUrl: string) => {
  const fleet = demoFleet();
  const user = fleet.users.get('svc-app');
  if (user === undefined) {
    throw new Error('the demo fleet has no svc-app');
  }
  const store = createMemoryEventStore();
  const submit = submitter(store, fleet.inventory, fleet.gateway.uid);
  const [at, by] = [systemClock.now().toISOString(), 'dashboard-events'];
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

  // The dashboard's feed: every event of the job's stream, from the start
  // of the store, until the job finishes.
  // #region follow
  const posted = lastValueFrom(
    store
      .follow({ streamPrefixes: [jobStream(jobId)] })
      .pipe(untilFinished(), postEach(webhookUrl), toArray()),
  );
  // #endregion follow
  const host = createWindowsHost(createSimTransport({ hosts: fleet.hosts }));
  const engine = createEngine({
    store,
    host,
    secrets: createMemorySecretStore({ [user.uid]: demoPasswords['svc-app'] }),
    rotator: hostAccountRotator({ host, inventory: fleet.inventory }),
    inventory: fleet.inventory,
    clock: systemClock,
    random: nodeRandom,
  });
  // What the run itself appended: the runner's own view, e.g. for a
  // progress bar in the process that started it.
  const appended = await lastValueFrom(
    engine.run(jobId).pipe(
      filter((e) => e.stream === jobStream(jobId)),
      toArray(),
    ),
  );
  const statuses = await posted;
  await store.close();

  return { jobId, appended, statuses, fleet };
};

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  // A stand-in dashboard on 127.0.0.1 that prints what it receives.
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      console.log('dashboard got', body);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    main(`http://127.0.0.1:${port}/rotor-events`)
      .catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      })
      .finally(() => server.close());
  });
}
