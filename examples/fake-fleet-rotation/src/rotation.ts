import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, tap } from 'rxjs';
import {
  allKinds,
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  nodeRandom,
  randomIds,
  submitCommand,
  systemClock,
  type EventStore,
  type GatewayCommand,
  type RecordedEvent,
} from '@rotor/core';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import {
  createSimTransport,
  demoFleet,
  demoPasswords,
  type Fleet,
} from '@rotor/testkit';

/** How the demo's rotation ended. */
export interface DemoOutcome {
  readonly jobId: string;
  readonly status: string;
  readonly events: ReadonlyArray<RecordedEvent>;
  readonly fleet: Fleet;
}

// Submits a command as `rotor service add` and `rotor rotate` do: decide
// against the gateway's state, then append the outcome.
const submit = async (
  store: EventStore,
  fleet: Fleet,
  command: GatewayCommand,
): Promise<void> => {
  const submitted = await submitCommand(store, command, {
    inventory: fleet.inventory,
    gatewayUid: fleet.gateway.uid,
  });
  if (E.isLeft(submitted)) {
    throw new Error(`${command.type} was refused: ${submitted.left._tag}`);
  }
};

/** One line for an event, naming machines by their names. */
export const describeEvent = (
  event: RecordedEvent,
  machineName: (uid: string) => string,
): string => {
  const d = event.data as Record<string, unknown>;
  const where =
    typeof d['machineUid'] === 'string'
      ? ` ${machineName(d['machineUid'])}`
      : '';
  const what = typeof d['dependent'] === 'string' ? ` ${d['dependent']}` : '';
  const extra =
    event.type === 'DependentsFound' && Array.isArray(d['dependents'])
      ? `: ${d['dependents'].length} dependent(s)`
      : event.type === 'ServiceRestarted' &&
          Array.isArray(d['dependentsRestarted']) &&
          d['dependentsRestarted'].length > 0
        ? ` (and ${d['dependentsRestarted'].join(', ')})`
        : event.type === 'ServiceRestartSkipped'
          ? ` (${String(d['reason'])})`
          : event.type === 'JobFinished'
            ? `: ${String(d['status'])}`
            : '';

  return `#${event.revision} ${event.type}${where}${what}${extra}`;
};

/**
 * Builds the testkit's demo fleet (APP01, WEB01 in CONTOSO), maps the user
 * `svc-app` to both machines for every kind, schedules a rotation, runs it
 * over the simulated transport with the in-memory store, and prints each
 * event as the engine appends it, then a one-line summary.
 */
export const runDemo = async (
  print: (line: string) => void,
): Promise<DemoOutcome> => {
  const fleet = demoFleet();
  const user = fleet.users.get('svc-app');
  if (user === undefined) {
    throw new Error('the demo fleet has no svc-app');
  }
  const store = createMemoryEventStore();
  const at = systemClock.now().toISOString();
  for (const machine of fleet.machines.values()) {
    await submit(store, fleet, {
      type: 'AddMapping',
      machineUid: machine.uid,
      userUid: user.uid,
      kinds: [...allKinds],
      by: 'example',
      at,
    });
  }
  const jobId = randomIds(nodeRandom).newUid();
  await submit(store, fleet, {
    type: 'ScheduleRotation',
    userUid: user.uid,
    jobId,
    options: { external: false, restart: true },
    by: 'example',
    at,
  });

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
  const names = new Map(
    [...fleet.machines.values()].map((m) => [m.uid as string, m.name]),
  );
  const machineName = (uid: string) => names.get(uid) ?? uid;
  const events: RecordedEvent[] = [];
  print(`rotating ${user.login} on ${[...names.values()].join(', ')}`);
  await lastValueFrom(
    engine.run(jobId).pipe(
      tap((event) => {
        events.push(event);
        print(describeEvent(event, machineName));
      }),
    ),
    { defaultValue: undefined },
  );
  const end = events.at(-1)?.data as
    { readonly status: string; readonly message: string } | undefined;
  const status = end?.status ?? 'unknown';
  print(`job ${jobId} ${status}: ${end?.message ?? 'no JobFinished'}`);

  return { jobId, status, events, fleet };
};
