// Longer than most files: the whole-stack setup reads best in one place.
// The whole stack for the rotation properties: the engine over the real
// Windows layer (createWindowsHost, hostAccountRotator) over the simulated
// transport and fleet, with the in-memory store and secret store. Jobs are
// scheduled the way the CLI does: mappings and the rotation go through the
// core's decide and are appended with the decision's expected revision.
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import {
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  decide,
  evolveGateway,
  fixedClock,
  initialGatewayState,
  jobStream,
  mappingStream,
  replay,
  Secret,
  type DecideError,
  type Decision,
  type EngineDeps,
  type EventStore,
  type GatewayCommand,
  type GatewayState,
  type LogAttributes,
  type Logger,
  type MappingAdded,
  type RecordedEvent,
  type SecretStore,
  type User,
  type Warning,
} from '@rotor/core';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import {
  buildFleet,
  createSimTransport,
  rotatedUserKey,
  type Fleet,
  type MappingSpec,
  type SimTransport,
} from '@rotor/testkit';
import {
  at,
  jobId,
  type Scenario,
  type StrayMapping,
} from './rotationScenario.js';

/** A logger that keeps every record as JSON text. */
export const capturingLogger = (): Logger & { readonly records: string[] } => {
  const records: string[] = [];
  const record = (name: string, attributes?: LogAttributes) => {
    records.push(JSON.stringify({ name, attributes }));
  };

  return { records, debug: record, info: record, warn: record, error: record };
};

/**
 * A secret store that stages `next` whatever password the engine made, so
 * the generated password (quotes, `$`, backtick, non-ASCII…) is the one
 * that travels to the account and every dependent.
 */
const stagingAs = (inner: SecretStore, next: string): SecretStore => ({
  ...inner,
  stage: (userUid, _made, job) => inner.stage(userUid, Secret.of(next), job),
});

const instant = (): Promise<void> => Promise.resolve();

const decideFor = (
  command: GatewayCommand,
  state: GatewayState,
  fleet: Fleet,
): E.Either<DecideError, Decision> =>
  decide(command, state, {
    inventory: fleet.inventory,
    gatewayUid: fleet.gateway.uid,
  });

const appendDecision = async (
  store: EventStore,
  d: Decision,
): Promise<void> => {
  if (d.events.length > 0) {
    const written = await store.append(d.stream, d.events, d.expected);
    if (E.isLeft(written)) {
      throw new Error(`append failed: ${written.left._tag}`);
    }
  }
};

const appendDecided = async (
  store: EventStore,
  command: GatewayCommand,
  state: GatewayState,
  fleet: Fleet,
): Promise<ReadonlyArray<Warning>> => {
  const decided = decideFor(command, state, fleet);
  if (E.isLeft(decided)) {
    throw new Error(`decide refused ${command.type}: ${decided.left._tag}`);
  }
  await appendDecision(store, decided.right);

  return decided.right.warnings;
};

const addMapping = (m: MappingSpec): GatewayCommand => ({
  type: 'AddMapping',
  machineUid: m.machineUid,
  userUid: m.userUid,
  kinds: [m.kind],
  by: 'property',
  at,
});

// A stray mapping: refused by decide, or (recorded before the check)
// appended as its MappingAdded directly. Gives decide's refusal, if any.
const strayMapping = async (
  store: EventStore,
  stray: StrayMapping,
  state: GatewayState,
  fleet: Fleet,
): Promise<DecideError | undefined> => {
  const m = stray.mapping;
  if (!stray.recordedBefore) {
    const decided = decideFor(addMapping(m), state, fleet);

    return E.isLeft(decided) ? decided.left : undefined;
  }
  const event: MappingAdded = {
    type: 'MappingAdded',
    data: { ...m, by: 'before the check', at },
  };
  const written = await store.append(
    mappingStream(fleet.gateway.uid),
    [event],
    state.mappingEvents === 0 ? 'no-stream' : state.mappingEvents - 1,
  );
  if (E.isLeft(written)) {
    throw new Error(`append failed: ${written.left._tag}`);
  }

  return undefined;
};

const gatewayState = async (
  store: EventStore,
  fleet: Fleet,
): Promise<GatewayState> => {
  const replayed = await replay(
    store.readAll({
      streamPrefixes: [mappingStream(fleet.gateway.uid), 'job-'],
    }),
    initialGatewayState(fleet.gateway.uid),
    evolveGateway,
  );
  if (E.isLeft(replayed)) {
    throw new Error('the gateway stream does not decode');
  }

  return replayed.right.state;
};

/** A scenario set up and scheduled, ready to run. */
export interface Prepared {
  readonly scenario: Scenario;
  readonly fleet: Fleet;
  readonly user: User;
  readonly oldPassword: string;
  readonly transport: SimTransport;
  readonly store: EventStore;
  readonly secrets: SecretStore;
  readonly logger: Logger & { readonly records: string[] };
  /** What decide said to each stray mapping not recorded before. */
  readonly refused: ReadonlyArray<DecideError | undefined>;
  /** The warnings of the ScheduleRotation decision. */
  readonly scheduleWarnings: ReadonlyArray<Warning>;
  /** Engine ports over this scenario; each call builds a new Windows host. */
  readonly deps: (over?: Partial<EngineDeps>) => EngineDeps;
}

/**
 * Builds the scenario's fleet, records its mappings and schedules the
 * rotation through `decide`, as the CLI's `service add` and `rotate` do.
 */
export const prepare = async (scenario: Scenario): Promise<Prepared> => {
  const fleet = buildFleet(scenario.spec);
  const user = fleet.users.get(rotatedUserKey);
  const spec = scenario.spec.users.find((u) => u.key === rotatedUserKey);
  if (user === undefined || spec === undefined) {
    throw new Error('the fleet has no rotated user');
  }
  const store = createMemoryEventStore({ clock: fixedClock(at) });
  for (const m of scenario.mappings) {
    await appendDecided(
      store,
      addMapping(m),
      await gatewayState(store, fleet),
      fleet,
    );
  }
  const refused: Array<DecideError | undefined> = [];
  for (const stray of scenario.stray ?? []) {
    const refusal = await strayMapping(
      store,
      stray,
      await gatewayState(store, fleet),
      fleet,
    );
    if (!stray.recordedBefore) {
      refused.push(refusal);
    }
  }
  const scheduleWarnings = await appendDecided(
    store,
    {
      type: 'ScheduleRotation',
      userUid: user.uid,
      jobId,
      options: { external: false, restart: true },
      by: 'property',
      at,
    },
    await gatewayState(store, fleet),
    fleet,
  );
  const transport = createSimTransport({
    hosts: fleet.hosts,
    faults: scenario.faults,
    delay: instant,
  });
  const secrets = stagingAs(
    createMemorySecretStore({ [user.uid]: spec.password }),
    scenario.password,
  );
  const logger = capturingLogger();
  const deps = (over: Partial<EngineDeps> = {}): EngineDeps => {
    const host = createWindowsHost(transport, { logger });

    return {
      store,
      host,
      secrets,
      rotator: hostAccountRotator({ host, inventory: fleet.inventory }),
      inventory: fleet.inventory,
      clock: fixedClock(at),
      random: { bytes: (n) => new Uint8Array(n).fill(7) },
      logger,
      parallel: scenario.parallel,
      retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
      ...over,
    };
  };

  return {
    scenario,
    fleet,
    user,
    oldPassword: spec.password,
    transport,
    store,
    secrets,
    logger,
    refused,
    scheduleWarnings,
    deps,
  };
};

/** Runs the job to its end: what it emitted, or the error it ended with. */
export const runJob = async (
  deps: EngineDeps,
): Promise<{ readonly emitted: RecordedEvent[]; readonly error?: unknown }> => {
  const emitted: RecordedEvent[] = [];
  try {
    const all = await lastValueFrom(
      createEngine(deps).run(jobId).pipe(toArray()),
    );
    emitted.push(...all);

    return { emitted };
  } catch (error: unknown) {
    return { emitted, error };
  }
};

/** Every event of a stream. */
export const readStream = async (
  store: EventStore,
  stream = jobStream(jobId),
): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(stream)) {
    events.push(e);
  }

  return events;
};

/** Every event of the store. */
export const readAll = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) {
    events.push(e);
  }

  return events;
};

/**
 * A store that dies right after its `after + 1`-th job event is written: that
 * append is committed and then reported as an outage, and every later one
 * fails without writing, as if the process had stopped between two events.
 */
export const crashingAfter = (inner: EventStore, after: number): EventStore => {
  let appends = 0;
  const down = {
    _tag: 'StoreUnavailable',
    message: 'simulated crash',
  } as const;

  return {
    ...inner,
    append: async (stream, events, expected) => {
      appends += 1;
      if (appends <= after) {
        return inner.append(stream, events, expected);
      }
      if (appends === after + 1) {
        await inner.append(stream, events, expected);
      }

      return E.left(down);
    },
  };
};
