// Wires the engine to in-memory ports for tests.
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngine } from '../../src/engine.js';
import type { EngineDeps } from '../../src/engineDeps.js';
import type {
  Dependent,
  EventStore,
  Failure,
  JobEvent,
  RecordedEvent,
  Target,
} from '../../src/index.js';
import {
  createMemoryEventStore,
  fixedClock,
  inventoryOf,
  jobStream,
} from '../../src/index.js';
import {
  createFakeHost,
  createFakeRotator,
  type HostCall,
} from './fakeHost.js';
import type { Fault } from './fakeHost.js';
import { createMemorySecretStore } from '../../src/memorySecrets.js';
import {
  at,
  jobId,
  machine,
  scheduled,
  uid,
  user,
  userUid,
} from './fixtures.js';

/** A counter-based random source: deterministic, distinct passwords. */
const countingRandom = () => {
  let n = 0;

  return {
    bytes: (size: number) =>
      Uint8Array.from({ length: size }, () => (n = (n * 31 + 17) % 251)),
  };
};

export interface SetupOptions {
  /** Dependents per machine number. */
  readonly fleet: Readonly<Record<number, ReadonlyArray<Dependent>>>;
  readonly targets?: ReadonlyArray<Target>;
  readonly external?: boolean;
  readonly restart?: boolean;
  readonly faults?: (call: HostCall) => Fault | undefined;
  readonly rotatorFault?: (attempt: number) => Failure | undefined;
  readonly deps?: Partial<EngineDeps>;
}

export const setup = async (options: SetupOptions) => {
  const numbers = Object.keys(options.fleet).map(Number);
  const store = createMemoryEventStore({ clock: fixedClock(at) });
  const rotator = createFakeRotator(options.rotatorFault);
  const host = createFakeHost({
    fleet: Object.fromEntries(
      numbers.map((n) => [uid(n), options.fleet[n] ?? []]),
    ),
    accountPassword: rotator.password,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  const secrets = createMemorySecretStore({ [userUid]: 'old' });
  const inventory = inventoryOf([user, ...numbers.map(machine)]);
  const targets =
    options.targets ??
    numbers.map((n): Target => ({
      machineUid: uid(n),
      kinds: ['service', 'task', 'iis'],
    }));
  const schedule: JobEvent = scheduled(targets, {
    external: options.external ?? false,
    restart: options.restart ?? true,
  });
  const written = await store.append(jobStream(jobId), [schedule], 'no-stream');
  if (E.isLeft(written)) {
    throw new Error('could not schedule');
  }
  const deps = (over: Partial<EngineDeps> = {}): EngineDeps => ({
    store,
    host,
    secrets,
    rotator,
    inventory,
    clock: fixedClock(at),
    random: countingRandom(),
    retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    ...options.deps,
    ...over,
  });

  return { store, host, rotator, secrets, inventory, deps };
};

/** Runs a job to its end; the events it emitted, or the error it ended with. */
export const runJob = async (
  deps: EngineDeps,
): Promise<{ emitted: RecordedEvent[]; error?: unknown }> => {
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

/** Every event of the job's stream. */
export const streamOf = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(jobStream(jobId))) {
    events.push(e);
  }

  return events;
};

/** `type dependent` for each event, for readable expectations. */
export const summary = (events: ReadonlyArray<RecordedEvent>): string[] =>
  events.map((e) => {
    const data = e.data as { dependent?: string; machineUid?: string };

    return data.dependent === undefined
      ? e.type
      : `${e.type} ${data.dependent}`;
  });

/**
 * A store that crashes the writer at its `after + 1`-th append: `commit`
 * writes that event and then reports failure (the process died right
 * after the write), `refuse` writes nothing. Every later append fails too.
 */
export const crashingStore = (
  inner: EventStore,
  after: number,
  mode: 'commit' | 'refuse',
): EventStore => {
  let appends = 0;
  const down = {
    _tag: 'StoreUnavailable',
    message: 'simulated crash',
  } as const;

  return {
    ...inner,
    append: async (stream, events, expected) => {
      appends++;
      if (appends <= after) {
        return inner.append(stream, events, expected);
      }
      if (appends === after + 1 && mode === 'commit') {
        await inner.append(stream, events, expected);
      }

      return E.left(down);
    },
  };
};
