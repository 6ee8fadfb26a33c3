// Crash recovery with real processes: `rotor gateway run` is killed with
// SIGKILL mid-job; a second process takes the job over once the lease has
// run out and finishes it; the hosts end as one uninterrupted run leaves
// them.
import {
  jobStream,
  testUid,
  type EventStore,
  type RecordedEvent,
} from '@rotor/core';
import { buildFleet } from '@rotor/testkit';
import { openSqliteEventStore, storeErrorMessage } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

const hosts = 5;
// Operations of one uninterrupted run of this fleet: enumerate, set two
// services and restart one per host, and the account's password change.
const operations = hosts * 4 + 1;
const repeats = Number(process.env['ROTOR_CRASH_REPEATS'] ?? 3);

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
  // record and the next step (see the package README on parallel runs).
  '--parallel',
  '1',
  '--process-id',
  processId,
];

const killAndResume = async (killAt: number): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-crash-'));
  const fleet = buildFleet(fleetSpec(hosts, 3));
  const children: Rotor[] = [];
  let served: ServedFleet | undefined;
  let store: EventStore | undefined;
  try {
    const victim: { pid?: number } = {};
    served = await serveFleet(fleet, 120, (n) => {
      // SIGKILL the first process the moment its n-th operation arrives:
      // the operation is in flight and never reaches the host.
      if (n === killAt && victim.pid !== undefined) {
        process.kill(victim.pid, 'SIGKILL');
      }
    });
    writeInventory(dir, fleet, served);
    const opened = await openSqliteEventStore({
      path: join(dir, 'rotor.db'),
      pollIntervalMs: 50,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }
    store = opened.right;
    await recordMappings(store, fleet);
    const jobId = await scheduleRotation(store, fleet, testUid('crashjob'));
    const name = fleet.gateway.name;

    const first = startRotor(dir, gatewayArgs(name, 'first'));
    victim.pid = first.pid;
    children.push(first);
    await first.exited;
    expect(first.child.signalCode, first.output()).toBe('SIGKILL');
    const afterKill = (await readStream(store, jobStream(jobId))).map(
      (e) => e.type,
    );
    expect(afterKill).not.toContain('JobFinished');

    const second = startRotor(dir, gatewayArgs(name, 'second'));
    children.push(second);
    const s = store;
    await waitUntil(
      async () =>
        (await readStream(s, jobStream(jobId))).some(
          (e) => e.type === 'JobFinished',
        ),
      30_000,
      `the job to finish (${second.output()})`,
    );

    const list = startRotor(dir, ['--json', 'gateway', 'list']);
    children.push(list);
    await list.exited;
    const listed = JSON.parse(list.output()) as {
      gateways: Array<{ status: string; processes: number }>;
    };
    expect(listed.gateways[0]?.status).toBe('ONLINE');

    await killRotor(second, 'SIGTERM');
    expect(second.child.exitCode, second.output()).toBe(0);

    const events = await readStream(store, jobStream(jobId));
    const claims = events
      .filter((e) => e.type === 'JobClaimed')
      .map((e) => (e.data as { processId: string }).processId);
    expect(claims).toEqual(['first', 'second']);
    const finished = events.filter((e) => e.type === 'JobFinished');
    expect(finished).toHaveLength(1);
    expect((finished[0]?.data as { status: string }).status).toBe('finished');
    // No outcome recorded twice.
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

describe('a gateway process killed mid-job (SQLite store, real processes)', () => {
  // Kill moments spread over the run: during enumeration, at the password
  // change, among the credential updates and among the restarts.
  const moments = Array.from({ length: repeats }, (_, i) =>
    Math.max(2, Math.round(((i + 1) * operations) / (repeats + 1))),
  );
  for (const killAt of moments) {
    it(`another process takes over and finishes the job (kill at operation ${killAt} of ${operations})`, async () => {
      await killAndResume(killAt);
    }, 90_000);
  }
});
