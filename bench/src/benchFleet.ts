import { randomBytes } from 'node:crypto';
import {
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  jobStream,
  nodeRandom,
  systemClock,
  uidFromBytes,
  type EventStore,
  type RecordedEvent,
  type Transport,
} from '@rotor/core';
import {
  buildFleet,
  createSimTransport,
  type Fleet,
  type FleetHostSpec,
  type SimTransport,
} from '@rotor/testkit';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import { lastValueFrom, reduce } from 'rxjs';

const oldPassword = 'Bench-Old-Passw0rd!';
const login = 'BENCH\\svc-bench';

/** One machine of the benchmark fleet: a service, a task and a pool. */
const benchHost = (i: number): FleetHostSpec => ({
  key: `h${i}`,
  computerName: `BH${i}`,
  protocol: 'ssh',
  iisInstalled: true,
  services: [
    {
      name: 'AppSvc',
      state: 'running',
      startMode: 'auto',
      account: login,
      password: oldPassword,
    },
  ],
  tasks: [
    {
      path: '\\Bench\\Nightly',
      userId: login,
      logonType: 'password',
      password: oldPassword,
    },
  ],
  appPools: [
    {
      name: 'BenchPool',
      identityType: 'specific-user',
      userName: login,
      password: oldPassword,
      state: 'started',
    },
  ],
});

/**
 * A fleet of `machines` simulated hosts in domain BENCH, each with three
 * dependents of the user `svc-bench` (a running service, a task with a
 * stored password, a started app pool), whose password is changed through
 * the first host.
 */
export const benchFleet = (machines: number): Fleet =>
  buildFleet({
    domain: { netbios: 'BENCH', dns: 'bench.example' },
    users: [
      {
        key: 'svc',
        sam: 'svc-bench',
        password: oldPassword,
        scope: 'domain',
        passwordHostKey: 'h0',
      },
    ],
    hosts: Array.from({ length: machines }, (_, i) => benchHost(i)),
  });

/** What one rotation over a fleet did and cost. */
export interface RotationRun {
  readonly jobId: string;
  readonly wallMs: number;
  /** User plus system CPU of this process while the job ran, µs. */
  readonly cpuUs: number;
  /** Wall time spent inside the simulated hosts' execution, ms (approx.). */
  readonly simMs: number;
  readonly events: number;
  readonly status: string;
  readonly store: EventStore;
  readonly transport: SimTransport;
}

/**
 * Schedules a rotation of `svc-bench` over every machine of the fleet (by
 * appending its `RotationScheduled`, as `decide` would) and runs it to its
 * end with the engine over the simulated transport, every remote step
 * delayed `latencyMs` with real timers.
 */
export const runRotation = async (
  fleet: Fleet,
  options: {
    readonly latencyMs: number;
    readonly parallel: number;
    readonly store?: EventStore;
    /** The engine's failed-logon budget; its default (2) when absent. */
    readonly logonFailureBudget?: number;
    /** The domain's lockout threshold given to the engine, if any. */
    readonly lockoutThreshold?: number;
  },
): Promise<RotationRun> => {
  const user = fleet.users.get('svc');
  if (user === undefined) {
    throw new Error('the bench fleet has no user');
  }
  let woke = 0;
  let simMs = 0;
  const sim = createSimTransport({
    hosts: fleet.hosts,
    faults: { latencyMs: options.latencyMs },
    delay: (ms) =>
      new Promise((resolve) =>
        setTimeout(() => {
          woke = performance.now();
          resolve();
        }, ms),
      ),
  });
  // The time from the end of a step's delay to its result coming back is
  // the simulated host's work (nothing else runs in between).
  const timed: Transport = {
    run: async (machine, command, runOptions) => {
      const result = await sim.run(machine, command, runOptions);
      simMs += performance.now() - woke;

      return result;
    },
    close: () => sim.close(),
  };
  const store = options.store ?? createMemoryEventStore();
  const jobId = uidFromBytes(randomBytes(16));
  const scheduled = await store.append(
    jobStream(jobId),
    [
      {
        type: 'RotationScheduled',
        data: {
          jobId,
          gatewayUid: fleet.gateway.uid,
          userUid: user.uid,
          targets: [...fleet.machines.values()].map((m) => ({
            machineUid: m.uid,
            kinds: ['service', 'task', 'iis'],
          })),
          options: { external: false, restart: true },
          by: 'bench',
          at: new Date().toISOString(),
        },
      },
    ],
    'no-stream',
  );
  if (scheduled._tag === 'Left') {
    throw new Error(`could not schedule: ${JSON.stringify(scheduled.left)}`);
  }
  const host = createWindowsHost(timed);
  const engine = createEngine({
    store,
    host,
    secrets: createMemorySecretStore({ [user.uid]: oldPassword }),
    rotator: hostAccountRotator({ host, inventory: fleet.inventory }),
    inventory: fleet.inventory,
    clock: systemClock,
    random: nodeRandom,
    parallel: options.parallel,
    ...(options.logonFailureBudget === undefined
      ? {}
      : { logonFailureBudget: options.logonFailureBudget }),
    ...(options.lockoutThreshold === undefined
      ? {}
      : { lockoutThreshold: options.lockoutThreshold }),
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { events, last } = await lastValueFrom(
    engine
      .run(jobId)
      .pipe(
        reduce(
          (acc, e: RecordedEvent) => ({ events: acc.events + 1, last: e }),
          { events: 0, last: undefined as RecordedEvent | undefined },
        ),
      ),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const data = last?.data as { status?: string } | undefined;

  return {
    jobId,
    wallMs,
    cpuUs: cpu.user + cpu.system,
    simMs,
    events,
    status: data?.status ?? 'unknown',
    store,
    transport: sim,
  };
};
