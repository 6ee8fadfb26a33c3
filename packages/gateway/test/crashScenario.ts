// Crash recovery with real processes: `rotor gateway run` is killed with
// SIGKILL mid-job; another process takes the job over once the lease has
// run out and finishes it; the hosts end as one uninterrupted run leaves
// them. Shared by the SQLite and PostgreSQL tests.
import {
  jobStream,
  testUid,
  type EventStore,
  type RecordedEvent,
} from '@rotor/core';
import { buildFleet } from '@rotor/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  killRotor,
  serveFleet,
  startRotor,
  waitUntil,
  writeInventory,
  type Rotor,
  type ServedFleet,
} from './cliProcess.js';
import {
  fleetSpec,
  recordMappings,
  scheduleRotation,
  serviceCounts,
} from './fleetJob.js';
import { expectRotatedOnce } from './racingProcesses.js';

/** Hosts of the simulated fleet. */
export const crashHosts = 5;
/**
 * Operations of one uninterrupted run of the fleet: per host enumerate,
 * set two services and restart one, and the account's password change.
 */
export const crashOperations = crashHosts * 4 + 1;

/** Where the processes keep their events. */
export interface CrashStore {
  /** The `--store` argument of the processes (a file or a URL). */
  readonly arg: (dir: string) => string;
  /** Opens the same store in the test. */
  readonly open: (dir: string) => Promise<EventStore>;
}

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

const gatewayArgs = (name: string, processId: string) => [
  'gateway',
  'run',
  '-g',
  name,
  '--lease',
  '2',
  '--heartbeat',
  '1',
  '--poll',
  '100',
  '--drain',
  '5',
  // One machine at a time: a kill then always falls between one step's
  // record and the next step (see the package README's known limits).
  '--parallel',
  '1',
  '--process-id',
  processId,
];

const lastClaimant = async (store: EventStore, jobId: string) =>
  (await readStream(store, jobStream(jobId)))
    .filter((e) => e.type === 'JobClaimed')
    .map((e) => (e.data as { processId: string }).processId)
    .at(-1);

/**
 * Runs `processes` gateway processes (1 or 2) over `store`; when the
 * process holding the job receives the fleet's `killAt`-th operation, it
 * is killed with SIGKILL (the operation never reaches its host). With one
 * process, a second is started after the kill. The job must then finish
 * with every dependent as one uninterrupted run leaves it.
 */
export const killAndResume = async (options: {
  readonly store: CrashStore;
  readonly processes: 1 | 2;
  readonly killAt: number;
  readonly uidSeed: number;
}): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-crash-'));
  const fleet = buildFleet(fleetSpec(crashHosts, options.uidSeed));
  const byId = new Map<string, Rotor>();
  const children: Rotor[] = [];
  let served: ServedFleet | undefined;
  let store: EventStore | undefined;
  let killed: Promise<string | undefined> | undefined;
  const jobId = testUid(`crash${options.uidSeed}`);
  try {
    served = await serveFleet(fleet, 120, (n) => {
      // The operation waits 120 ms before its host runs it; the holder of
      // the job is killed within that time, so the operation is dropped.
      const s = store;
      if (n === options.killAt && s !== undefined) {
        killed = lastClaimant(s, jobId).then((id) => {
          const victim = id === undefined ? undefined : byId.get(id);
          if (victim !== undefined) {
            process.kill(victim.pid, 'SIGKILL');
          }

          return id;
        });
      }
    });
    writeInventory(dir, fleet, served);
    store = await options.store.open(dir);
    await recordMappings(store, fleet);
    await scheduleRotation(store, fleet, jobId);
    const name = fleet.gateway.name;
    const start = (id: string) => {
      const rotor = startRotor(
        dir,
        gatewayArgs(name, id),
        options.store.arg(dir),
      );
      byId.set(id, rotor);
      children.push(rotor);

      return rotor;
    };
    start('p1');
    if (options.processes === 2) {
      start('p2');
    }
    const s = store;
    await waitUntil(() => killed !== undefined, 60_000, 'the kill moment');
    const victimId = await killed;
    const victim = victimId === undefined ? undefined : byId.get(victimId);
    if (victim === undefined) {
      throw new Error('no process held the job at the kill moment');
    }
    await victim.exited;
    expect(victim.child.signalCode, victim.output()).toBe('SIGKILL');
    const afterKill = (await readStream(s, jobStream(jobId))).map(
      (e) => e.type,
    );
    expect(afterKill).not.toContain('JobFinished');
    const survivor = options.processes === 2 ? undefined : start('p2');

    await waitUntil(
      async () =>
        (await readStream(s, jobStream(jobId))).some(
          (e) => e.type === 'JobFinished',
        ),
      60_000,
      `the job to finish (${(survivor ?? children[1])?.output() ?? ''})`,
    );

    const list = startRotor(
      dir,
      ['--json', 'gateway', 'list'],
      options.store.arg(dir),
    );
    children.push(list);
    await list.exited;
    const listed = JSON.parse(list.output()) as {
      gateways: Array<{ uid: string; status: string; processes: number }>;
    };
    expect(
      listed.gateways.find((g) => g.uid === fleet.gateway.uid)?.status,
      list.output(),
    ).toBe('ONLINE');

    for (const child of children.filter((c) => c !== victim)) {
      await killRotor(child, 'SIGTERM');
      expect(child.child.exitCode, child.output()).toBe(0);
    }

    const events = await readStream(s, jobStream(jobId));
    const claims = events
      .filter((e) => e.type === 'JobClaimed')
      .map((e) => (e.data as { processId: string }).processId);
    expect(claims).toHaveLength(2);
    expect(claims[0]).toBe(victimId);
    expect(claims[1]).not.toBe(victimId);
    const finished = events.filter((e) => e.type === 'JobFinished');
    expect(finished).toHaveLength(1);
    expect((finished[0]?.data as { status: string }).status).toBe('finished');
    // No outcome recorded twice, no event lost: revisions run 0..n-1.
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    const outcomes = events
      .filter((e) => !e.type.startsWith('JobClaim'))
      .map((e) => {
        const d = e.data as { machineUid?: string; dependent?: string };

        return `${e.type} ${d.machineUid ?? ''} ${d.dependent ?? ''}`;
      });
    expect(new Set(outcomes).size).toBe(outcomes.length);
    expectRotatedOnce(serviceCounts(fleet));
  } finally {
    for (const child of children) {
      await killRotor(child, 'SIGKILL');
    }
    await store?.close();
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** `repeats` kill moments spread over a run, from the second operation. */
export const killMoments = (repeats: number): ReadonlyArray<number> =>
  Array.from({ length: repeats }, (_, i) =>
    Math.max(2, Math.round(((i + 1) * crashOperations) / (repeats + 1))),
  );
