// Crash recovery with real processes: `rotor gateway run` is killed with
// SIGKILL mid-job; another process takes the job over once the lease has
// run out and finishes it; the hosts end as one uninterrupted run leaves
// them. One rig (a fleet behind ssh2 servers, a store, the processes) serves
// every repetition of a test file: each repetition schedules a rotation of
// the same account, kills the process holding it at its own moment, and
// starts a replacement, so no repetition waits for a fleet or a process to
// start. Shared by the SQLite and PostgreSQL tests.
import {
  gatewayStream,
  jobStream,
  testUid,
  type EventStore,
  type RecordedEvent,
} from '@rotor/core';
import { buildFleet, type Fleet } from '@rotor/testkit';
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

/** Hosts of the simulated fleet. */
export const crashHosts = 5;
/**
 * Operations of one uninterrupted run of the fleet: per host enumerate,
 * set two services and restart one, and the account's password change.
 */
export const crashOperations = crashHosts * 4 + 1;

/**
 * How long each operation waits before its host runs it: a network round
 * trip in miniature, so that a run's operations interleave with the
 * processes' store work as they would.
 */
const latencyMs = 5;

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

// A lease of 2 s, renewed every 2/3 s: a takeover waits at most 2 s, and a
// renewal may be more than a second late on a busy machine before another
// process would take a live process's job.
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
  '50',
  '--drain',
  '5',
  // One machine at a time: a kill then always falls between one step's
  // record and the next step (see the package README's known limits).
  '--parallel',
  '1',
  '--process-id',
  processId,
];

const claimantsOf = (events: ReadonlyArray<RecordedEvent>): string[] =>
  events
    .filter((e) => e.type === 'JobClaimed')
    .map((e) => (e.data as { processId: string }).processId);

const hasHeartbeat = async (
  store: EventStore,
  gatewayUid: string,
  processId: string,
): Promise<boolean> =>
  (await readStream(store, gatewayStream(gatewayUid))).some(
    (e) =>
      e.type === 'GatewayHeartbeat' &&
      (e.data as { processId: string }).processId === processId,
  );

/** The kill of one repetition, armed before its job is scheduled. */
interface Armed {
  readonly jobId: string;
  /** The fleet's operation count when the repetition began. */
  readonly base: number;
  readonly killAt: number;
  killed?: Promise<string | undefined>;
}

/** Processes, fleet and store shared by the repetitions of one file. */
export interface CrashRig {
  /**
   * One repetition: schedules a rotation, SIGKILLs the process holding it
   * when it sends the repetition's `killAt`-th operation (which never
   * reaches its host), and checks that another process finishes it with
   * every dependent as one uninterrupted run leaves it.
   */
  readonly killAndResume: (killAt: number) => Promise<void>;
  /**
   * Runs `rotor gateway list` once every live process has recorded a
   * heartbeat; resolves to the gateway's row.
   */
  readonly listGateway: () => Promise<
    { status: string; processes: number } | undefined
  >;
  /** Stops every process (by pid) and server, removes the folder. */
  readonly stop: () => Promise<void>;
}

/**
 * Starts a rig: a fleet of {@link crashHosts} hosts behind ssh2 servers,
 * its mappings in `store`, and `processes` gateway processes (1 or 2) kept
 * alive across repetitions.
 */
export const startCrashRig = async (options: {
  readonly store: CrashStore;
  readonly processes: 1 | 2;
  readonly uidSeed: number;
}): Promise<CrashRig> => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-crash-'));
  const fleet: Fleet = buildFleet(fleetSpec(crashHosts, options.uidSeed));
  const byId = new Map<string, Rotor>();
  const children: Rotor[] = [];
  let armed: Armed | undefined;
  let served: ServedFleet | undefined;
  let store: EventStore | undefined;
  let started = 0;
  let repetition = 0;

  const isLive = (r: Rotor) =>
    r.child.exitCode === null && r.child.signalCode === null;

  const stop = async () => {
    for (const child of children) {
      await killRotor(child, 'SIGKILL');
    }
    await store?.close();
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const kill = async (
    a: Armed,
    s: EventStore,
    openAtArrival: number,
    server: { readonly openConnections: () => number },
  ): Promise<string | undefined> => {
    const id = claimantsOf(await readStream(s, jobStream(a.jobId))).at(-1);
    const victim = id === undefined ? undefined : byId.get(id);
    if (victim !== undefined) {
      process.kill(victim.pid, 'SIGKILL');
      await victim.exited;
      // Its connection to this host is closed: the server saw it go.
      await waitUntil(
        () => server.openConnections() < openAtArrival,
        10_000,
        "the killed process's connection to close",
      );
    }

    return id;
  };

  try {
    served = await serveFleet(fleet, latencyMs, (n, server) => {
      const a = armed;
      const s = store;
      if (a === undefined || s === undefined || n - a.base !== a.killAt) {
        return undefined;
      }
      a.killed = kill(a, s, server.openConnections(), server);

      return a.killed.then(
        (id) => (id === undefined || !byId.has(id) ? 'here' : 'gone'),
        () => 'gone' as const,
      );
    });
    writeInventory(dir, fleet, served);
    store = await options.store.open(dir);
    await recordMappings(store, fleet);
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  const s = store;
  const fleetServed = served;
  const name = fleet.gateway.name;

  const start = (): Rotor => {
    started += 1;
    const id = `p${started}`;
    const rotor = startRotor(
      dir,
      gatewayArgs(name, id),
      options.store.arg(dir),
    );
    byId.set(id, rotor);
    children.push(rotor);

    return rotor;
  };
  for (let i = 0; i < options.processes; i++) {
    start();
  }

  // Every live process has recorded its first heartbeat.
  const allStarted = async () => {
    const running = [...byId.entries()].filter(([, r]) => isLive(r));
    await waitUntil(
      async () => {
        for (const [id] of running) {
          if (!(await hasHeartbeat(s, fleet.gateway.uid, id))) {
            return false;
          }
        }

        return true;
      },
      30_000,
      'the processes to start',
    );
  };

  const killAndResume = async (killAt: number): Promise<void> => {
    repetition += 1;
    await allStarted();
    const before = serviceCounts(fleet);
    const jobId = testUid(`crash${options.uidSeed}r${repetition}`);
    const a: Armed = { jobId, base: fleetServed.requests(), killAt };
    armed = a;
    await scheduleRotation(s, fleet, jobId);
    await waitUntil(() => a.killed !== undefined, 60_000, 'the kill moment');
    const victimId = await a.killed;
    armed = undefined;
    const victim = victimId === undefined ? undefined : byId.get(victimId);
    if (victim === undefined) {
      throw new Error('no process held the job at the kill moment');
    }
    expect(victim.child.signalCode, victim.output()).toBe('SIGKILL');
    const afterKill = (await readStream(s, jobStream(jobId))).map(
      (e) => e.type,
    );
    expect(afterKill).not.toContain('JobFinished');

    // With one process, the second starts now; with two, the survivor
    // takes over and a replacement starts once it has (for the next
    // repetition), so the takeover is the survivor's.
    const replacement = options.processes === 1 ? start() : undefined;
    await waitUntil(
      async () =>
        claimantsOf(await readStream(s, jobStream(jobId))).length >= 2,
      30_000,
      `a second claim (${children.map((c) => c.output()).join('\n')})`,
    );
    const next = replacement ?? start();
    await waitUntil(
      async () =>
        (await readStream(s, jobStream(jobId))).some(
          (e) => e.type === 'JobFinished',
        ),
      60_000,
      `the job to finish (${children.map((c) => c.output()).join('\n')})`,
    );

    const events = await readStream(s, jobStream(jobId));
    const claims = claimantsOf(events);
    expect(claims).toHaveLength(2);
    expect(claims[0]).toBe(victimId);
    expect(claims[1]).not.toBe(victimId);
    if (options.processes === 2) {
      expect(claims[1]).not.toBe(`p${started}`);
    } else {
      expect(byId.get(claims[1] ?? '')).toBe(next);
    }
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
    // Each dependent's password set once in this run, each running
    // service restarted once, the stopped one never started.
    const after = serviceCounts(fleet);
    for (const [i, c] of after.entries()) {
      const b = before[i];
      const where = `${c.host}/${c.name}`;
      expect(c.credentialSets - (b?.credentialSets ?? 0), where).toBe(1);
      expect(c.starts - (b?.starts ?? 0), where).toBe(c.name === 'Svc' ? 1 : 0);
    }
  };

  const listGateway = async () => {
    await allStarted();
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

    return listed.gateways.find((g) => g.uid === fleet.gateway.uid);
  };

  return {
    killAndResume,
    listGateway,
    stop: async () => {
      // The live processes stop cleanly on SIGTERM.
      const stopped = children.filter(isLive);
      try {
        for (const child of stopped) {
          await killRotor(child, 'SIGTERM');
        }
      } finally {
        await stop();
      }
      for (const child of stopped) {
        expect(child.child.exitCode, child.output()).toBe(0);
      }
    },
  };
};

/**
 * `repeats` kill moments, each a different operation of a run from the
 * second to the last (they repeat only past {@link crashOperations} - 1).
 */
export const killMoments = (repeats: number): ReadonlyArray<number> =>
  Array.from(
    { length: repeats },
    (_, i) =>
      2 +
      (Math.floor((i * (crashOperations - 1)) / Math.max(1, repeats)) %
        (crashOperations - 1)),
  );
