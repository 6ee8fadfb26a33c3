// Shared by the memory, SQLite and PostgreSQL tests: two processes of one
// gateway over one store, and a job whose claimant died.
import {
  jobStream,
  testUid,
  type EventStore,
  type RecordedEvent,
} from '@rotor/core';
import { expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom, filter, toArray } from 'rxjs';
import {
  claimJob,
  createGatewayProcess,
  type GatewayJobReport,
  type GatewayProcess,
} from '../src/index.js';
import {
  recordMappings,
  scheduleRotation,
  serviceCounts,
  simulatedFleet,
} from './fleetJob.js';

const readStream = async (
  store: EventStore,
  stream: string,
): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(stream)) {
    events.push(e);
  }

  return events;
};

const waitFor = async (
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not done within ${timeoutMs} ms`);
};

const finished = (store: EventStore, jobId: string) => async () =>
  (await readStream(store, jobStream(jobId))).some(
    (e) => e.type === 'JobFinished',
  );

/** Every service ended as one uninterrupted run leaves it. */
export const expectRotatedOnce = (
  counts: ReturnType<typeof serviceCounts>,
): void => {
  for (const c of counts) {
    expect(c.credentialSets, `${c.host}/${c.name}`).toBe(1);
    expect(c.starts, `${c.host}/${c.name}`).toBe(c.name === 'Svc' ? 1 : 0);
  }
};

/**
 * Two processes of one gateway follow one store; jobs are scheduled; each
 * job is run by exactly one of them, and no service is touched twice.
 */
export const twoProcessesOneJob = async (
  open: () => Promise<EventStore>,
  jobs = 3,
): Promise<void> => {
  const { fleet, engine } = simulatedFleet(4);
  const stores = [await open(), await open()];
  const [first, second] = stores as [EventStore, EventStore];
  await recordMappings(first, fleet);
  const processes = stores.map((store, i) =>
    createGatewayProcess({
      gatewayUid: fleet.gateway.uid,
      store,
      engine,
      processId: `p${i}`,
      leaseMs: 2_000,
      heartbeatMs: 500,
      pollMs: 10,
    }),
  );
  const reports = processes.map((p) =>
    firstValueFrom(p.reports.pipe(toArray())),
  );
  try {
    await Promise.all(processes.map((p) => p.start()));
    // One job after the other: a user has one running job at a time.
    for (let i = 0; i < jobs; i++) {
      const jobId = await scheduleRotation(
        second,
        fleet,
        testUid(`job${100 + i}`),
      );
      await waitFor(finished(first, jobId), 20_000);
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
  const all: GatewayJobReport[] = (await Promise.all(reports)).flat();
  expect(all.map((r) => r._tag)).toEqual(Array(jobs).fill('Finished'));
  for (let i = 0; i < jobs; i++) {
    const events = await readStream(first, jobStream(testUid(`job${100 + i}`)));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'JobClaimed')).toHaveLength(1);
    expect(types.filter((t) => t === 'JobFinished')).toHaveLength(1);
    expect(types.filter((t) => t === 'PasswordChanged')).toHaveLength(1);
  }
  // Each job set each credential once and restarted each running service
  // once; stopped ones were never started.
  for (const c of serviceCounts(fleet)) {
    expect(c.credentialSets, `${c.host}/${c.name}`).toBe(jobs);
    expect(c.starts, `${c.host}/${c.name}`).toBe(c.name === 'Svc' ? jobs : 0);
  }
  await Promise.all(stores.map((s) => s.close()));
};

/**
 * A job claimed by a process that died (its lease runs out and it never
 * renews) is claimed by a live process once the lease has run out, and
 * finished.
 */
export const takeoverAfterLease = async (
  open: () => Promise<EventStore>,
): Promise<void> => {
  const { fleet, engine } = simulatedFleet(2);
  const store = await open();
  await recordMappings(store, fleet);
  const jobId = await scheduleRotation(store, fleet, testUid('job200'));
  const now = Date.now();
  const leaseUntil = now + 600;
  const ghost = await store.append(
    jobStream(jobId),
    [
      {
        type: 'JobClaimed',
        data: {
          jobId,
          gatewayUid: fleet.gateway.uid,
          processId: 'ghost',
          leaseUntil: new Date(leaseUntil).toISOString(),
          at: new Date(now).toISOString(),
        },
      },
    ],
    'stream-exists',
  );
  expect(E.isRight(ghost)).toBe(true);
  const live: GatewayProcess = createGatewayProcess({
    gatewayUid: fleet.gateway.uid,
    store,
    engine,
    processId: 'live',
    leaseMs: 2_000,
    pollMs: 10,
  });
  const report = firstValueFrom(
    live.reports.pipe(filter((r) => r.jobId === jobId)),
  );
  await live.start();
  try {
    const ended = await report;
    expect(ended._tag).toBe('Finished');
    expect(Date.now()).toBeGreaterThanOrEqual(leaseUntil);
  } finally {
    await live.stop();
  }
  const claims = (await readStream(store, jobStream(jobId)))
    .filter((e) => e.type === 'JobClaimed')
    .map((e) => (e.data as { processId: string }).processId);
  expect(claims).toEqual(['ghost', 'live']);
  expectRotatedOnce(serviceCounts(fleet));
  await store.close();
};

/**
 * Two connections to one store claim the same job at the same moment,
 * round after round: exactly one claim is written each time.
 */
export const claimRace = async (
  open: () => Promise<EventStore>,
  rounds = 10,
): Promise<void> => {
  const { fleet } = simulatedFleet(1);
  const stores = [await open(), await open()];
  const [first] = stores as [EventStore, EventStore];
  await recordMappings(first, fleet);
  for (let i = 0; i < rounds; i++) {
    const jobId = testUid(`race${i}`);
    await scheduleRotation(first, fleet, jobId);
    const results = await Promise.all(
      stores.map((store, p) =>
        claimJob({
          store,
          jobId,
          gatewayUid: fleet.gateway.uid,
          processId: `p${p}`,
          leaseMs: 60_000,
          clock: { now: () => new Date() },
        }),
      ),
    );
    expect(results.filter(E.isRight)).toHaveLength(1);
    const events = await readStream(first, jobStream(jobId));
    expect(events.filter((e) => e.type === 'JobClaimed')).toHaveLength(1);
    // The next rotation of the user needs this job finished.
    const finish = await first.append(
      jobStream(jobId),
      [
        {
          type: 'JobFinished',
          data: {
            jobId,
            status: 'finished',
            counts: {
              machines: 0,
              machinesFailed: 0,
              dependents: 0,
              updated: 0,
              restarted: 0,
              recycled: 0,
              skipped: 0,
              failed: 0,
            },
            durationMs: 0,
            message: 'race',
            at: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
    expect(E.isRight(finish)).toBe(true);
  }
  await Promise.all(stores.map((s) => s.close()));
};
