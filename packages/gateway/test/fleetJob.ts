// Test fixture: a simulated fleet with one rotated account, its mappings and
// a scheduled rotation, recorded through the core's decide as the CLI does.
import {
  createEngine,
  createMemorySecretStore,
  decide,
  evolveGateway,
  initialGatewayState,
  mappingStream,
  replay,
  type Engine,
  type EventStore,
  type GatewayCommand,
  type SecretStore,
  type Uid,
} from '@rotor/core';
import {
  buildFleet,
  createSimTransport,
  rotatedUserKey,
  type FaultPlan,
  type Fleet,
  type FleetSpec,
} from '@rotor/testkit';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';

/** The rotated account's first password. */
export const oldPassword = 'Old-Passw0rd!';

/**
 * A fleet of `hosts` machines (SSH), each with a running service `Svc` and
 * a stopped service `Idle` that log on as `CONTOSO\svc-app`, and a service
 * `Other` under another account.
 */
export const fleetSpec = (hosts: number, uidSeed = 1): FleetSpec => ({
  uidSeed,
  domain: { netbios: 'CONTOSO', dns: 'contoso.com', lockoutThreshold: 0 },
  users: [
    {
      key: rotatedUserKey,
      sam: 'svc-app',
      password: oldPassword,
      scope: 'domain',
      passwordHostKey: 'h0',
    },
  ],
  hosts: Array.from({ length: hosts }, (_, i) => ({
    key: `h${i}`,
    computerName: `HOST${i}`,
    protocol: 'ssh' as const,
    services: [
      {
        name: 'Svc',
        state: 'running' as const,
        startMode: 'auto' as const,
        account: 'CONTOSO\\svc-app',
        password: oldPassword,
      },
      {
        name: 'Idle',
        state: 'stopped' as const,
        startMode: 'manual' as const,
        account: 'CONTOSO\\svc-app',
        password: oldPassword,
      },
    ],
  })),
});

const gatewayState = async (store: EventStore, fleet: Fleet) => {
  const replayed = await replay(
    store.readAll({
      streamPrefixes: [mappingStream(fleet.gateway.uid), 'job-'],
    }),
    initialGatewayState(fleet.gateway.uid),
    evolveGateway,
  );
  if (E.isLeft(replayed)) {
    throw new Error('the gateway streams do not decode');
  }

  return replayed.right.state;
};

const record = async (
  store: EventStore,
  fleet: Fleet,
  command: GatewayCommand,
): Promise<void> => {
  const decided = decide(command, await gatewayState(store, fleet), {
    inventory: fleet.inventory,
    gatewayUid: fleet.gateway.uid,
  });
  if (E.isLeft(decided)) {
    throw new Error(`decide refused ${command.type}: ${decided.left._tag}`);
  }
  const { stream, events, expected } = decided.right;
  const written = await store.append(stream, events, expected);
  if (E.isLeft(written)) {
    throw new Error(`append failed: ${written.left._tag}`);
  }
};

/** The rotated user of a fleet. */
export const rotatedUser = (fleet: Fleet) => {
  const user = fleet.users.get(rotatedUserKey);
  if (user === undefined) {
    throw new Error('no rotated user');
  }

  return user;
};

/** Maps the rotated user's services on every machine of the fleet. */
export const recordMappings = async (
  store: EventStore,
  fleet: Fleet,
): Promise<void> => {
  const user = rotatedUser(fleet);
  for (const machine of fleet.machines.values()) {
    await record(store, fleet, {
      type: 'AddMapping',
      machineUid: machine.uid,
      userUid: user.uid,
      kinds: ['service'],
      by: 'test',
      at: new Date().toISOString(),
    });
  }
};

/** Schedules a rotation of the rotated user; resolves to its job id. */
export const scheduleRotation = async (
  store: EventStore,
  fleet: Fleet,
  jobId: Uid,
): Promise<Uid> => {
  await record(store, fleet, {
    type: 'ScheduleRotation',
    userUid: rotatedUser(fleet).uid,
    jobId,
    options: { external: false, restart: true },
    by: 'test',
    at: new Date().toISOString(),
  });

  return jobId;
};

/** A fleet, a secret store with the user's password, an engine factory. */
export const simulatedFleet = (
  hosts: number,
  faults: FaultPlan = {},
): {
  readonly fleet: Fleet;
  readonly secrets: SecretStore;
  readonly engine: (store: EventStore) => Engine;
} => {
  const fleet = buildFleet(fleetSpec(hosts));
  const secrets = createMemorySecretStore({
    [rotatedUser(fleet).uid]: oldPassword,
  });
  const transport = createSimTransport({ hosts: fleet.hosts, faults });
  const engine = (store: EventStore): Engine => {
    const host = createWindowsHost(transport);

    return createEngine({
      store,
      host,
      secrets,
      rotator: hostAccountRotator({ host, inventory: fleet.inventory }),
      inventory: fleet.inventory,
      clock: { now: () => new Date() },
      random: { bytes: (n) => new Uint8Array(n).fill(7) },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
  };

  return { fleet, secrets, engine };
};

/** Starts and stops of every service on every host of a fleet. */
export const serviceCounts = (fleet: Fleet) =>
  [...fleet.hostByKey.entries()].flatMap(([key, host]) =>
    ['Svc', 'Idle'].map((name) => ({
      host: key,
      name,
      ...host.counters({ kind: 'service', name }),
    })),
  );
