import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessDenied,
  type Fault,
  type HostCall,
  type HostOp,
  logonRefused,
  unreachable,
} from '../test/engine/fakeHost.js';
import {
  crashingStore,
  runJob,
  setup,
  streamOf,
} from '../test/engine/harness.js';
import { jobId, pool, service, task, uid } from '../test/engine/fixtures.js';
import { createEngine } from './engine.js';
import { decodeRecordedEvent } from './decode.js';
import type { Dependent, ServiceState } from './dependent.js';
import { failure } from './failure.js';
import type { LogAttributes, RecordedEvent } from './ports.js';

const serviceStates: ServiceState[] = ['running', 'stopped', 'paused'];

const dependentsArb: fc.Arbitrary<Dependent[]> = fc
  .record({
    services: fc.array(fc.constantFrom(...serviceStates), { maxLength: 4 }),
    tasks: fc.array(
      fc.constantFrom('password', 's4u') as fc.Arbitrary<'password' | 's4u'>,
      { maxLength: 2 },
    ),
    pools: fc.array(
      fc.tuple(
        fc.constantFrom('started', 'stopped') as fc.Arbitrary<
          'started' | 'stopped'
        >,
        fc.constantFrom(
          'specific-user',
          'application-pool-identity',
        ) as fc.Arbitrary<'specific-user' | 'application-pool-identity'>,
      ),
      { maxLength: 2 },
    ),
  })
  .map(({ services, tasks, pools }) => [
    ...services.map((s, i) => service(`Svc${i}`, s)),
    ...tasks.map((t, i) => task(`\\Task${i}`, t)),
    ...pools.map(([s, id], i) => pool(`Pool${i}`, s, id)),
  ]);

const fleetArb = fc
  .array(dependentsArb, { minLength: 1, maxLength: 3 })
  .map((machines) =>
    Object.fromEntries(machines.map((deps, i) => [i + 1, deps])),
  );

interface ScriptedFault {
  readonly machine: number;
  readonly op: HostOp;
  readonly attempt: number;
  readonly fault: Fault;
}

const faultsArb: fc.Arbitrary<ScriptedFault[]> = fc.array(
  fc.record({
    machine: fc.integer({ min: 1, max: 3 }),
    op: fc.constantFrom<HostOp>(
      'enumerate',
      'setCredential',
      'restartService',
      'recycleAppPool',
    ),
    attempt: fc.integer({ min: 1, max: 3 }),
    fault: fc.constantFrom<Fault>(unreachable, logonRefused, accessDenied),
  }),
  { maxLength: 6 },
);

const rotatorArb = fc.constantFrom('ok', 'transient-once', 'refused');

const scriptOf =
  (faults: ReadonlyArray<ScriptedFault>) =>
  (call: HostCall): Fault | undefined =>
    faults.find(
      (f) =>
        uid(f.machine) === call.machineUid &&
        f.op === call.op &&
        f.attempt === call.attempt,
    )?.fault;

const rotatorFaultOf = (mode: string) => (attempt: number) =>
  mode === 'refused'
    ? failure('ConstraintViolation', 'password refused')
    : mode === 'transient-once' && attempt === 1
      ? failure('Unreachable', 'no DC', { transient: true })
      : undefined;

const comparable = (events: ReadonlyArray<RecordedEvent>) =>
  events.map((e) => ({ type: e.type, data: e.data }));

const failedNames = (events: ReadonlyArray<RecordedEvent>) => {
  const machines = new Set<string>();
  const dependents = new Set<string>();
  for (const e of events) {
    const d = e.data as { machineUid: string; dependent: string };
    if (e.type === 'MachineFailed') {
      machines.add(d.machineUid);
    }
    if (e.type === 'DependentFailed') {
      dependents.add(`${d.machineUid} ${d.dependent}`);
    }
  }

  return { machines, dependents };
};

describe('engine properties', () => {
  it('restarts exactly the running services, once, and leaks no password', async () => {
    await fc.assert(
      fc.asyncProperty(
        fleetArb,
        faultsArb,
        rotatorArb,
        fc.integer({ min: 1, max: 4 }),
        async (fleet, faults, rotatorMode, parallel) => {
          const { store, host, rotator, deps } = await setup({
            fleet,
            faults: scriptOf(faults),
            rotatorFault: rotatorFaultOf(rotatorMode),
            deps: { parallel },
          });
          const records: string[] = [];
          const record = (name: string, attributes?: LogAttributes) => {
            records.push(JSON.stringify({ name, attributes }));
          };
          const logger = {
            debug: record,
            info: record,
            warn: record,
            error: record,
          };
          const { error } = await runJob(deps({ logger }));
          expect(error).toBeUndefined();
          const stream = await streamOf(store);
          expect(records.length).toBeGreaterThan(0);

          // Every event decodes to what was written.
          for (const e of stream) {
            expect(E.isRight(decodeRecordedEvent(e))).toBe(true);
          }
          // No event or log record holds any password the run used.
          const text = JSON.stringify([stream.map((e) => e.data), records]);
          for (const p of rotator.calls) {
            expect(text).not.toContain(p);
          }
          expect(host.startedStopped).toEqual([]);
          const last = stream.at(-1);
          // Replaying the stream gives the end the live run recorded.
          const replayed = await createEngine(deps()).state(jobId);
          expect(replayed.status === 'finished' && replayed.end).toEqual(
            last?.data && {
              ...(last.data as Record<string, unknown>),
              jobId: undefined,
            },
          );
          expect(last?.type).toBe('JobFinished');
          if (rotatorMode === 'refused') {
            expect(host.done).toEqual([]);
            expect(last?.data).toMatchObject({ status: 'failed' });

            return;
          }
          const failed = failedNames(stream);
          for (const [n, deps] of Object.entries(fleet)) {
            const m = uid(Number(n));
            for (const d of deps.filter((x) => x.kind === 'service')) {
              const restarts = host.done.filter(
                (x) => x === `restartService ${m} ${d.name}`,
              ).length;
              const fine =
                !failed.machines.has(m) &&
                !failed.dependents.has(`${m} ${d.name}`);
              const recorded = stream.some(
                (e) =>
                  e.type === 'ServiceRestarted' &&
                  (e.data as { dependent: string }).dependent === d.name &&
                  (e.data as { machineUid: string }).machineUid === m,
              );
              // A machine may fail after some of its restarts: those stay
              // done, once each, and recorded.
              expect(restarts).toBe(recorded ? 1 : 0);
              if (d.state !== 'running') {
                expect(restarts).toBe(0);
              } else if (fine) {
                expect(restarts).toBe(1);
              }
              if (fine) {
                expect(host.stored(m, d)).toBe(rotator.password());
              }
            }
          }
          const clean =
            failed.machines.size === 0 && failed.dependents.size === 0;
          expect(last?.data).toMatchObject({
            status: clean ? 'finished' : 'finished-with-errors',
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('resumed after a crash between any two events, does nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fleetArb,
        faultsArb,
        rotatorArb,
        fc.nat({ max: 30 }),
        async (fleet, faults, rotatorMode, crashAfter) => {
          const options = {
            fleet,
            faults: scriptOf(faults),
            rotatorFault: rotatorFaultOf(rotatorMode),
            deps: { parallel: 1 },
          };
          const reference = await setup(options);
          await runJob(reference.deps());
          const expected = await streamOf(reference.store);

          const crashed = await setup(options);
          const first = await runJob(
            crashed.deps({
              store: crashingStore(crashed.store, crashAfter, 'commit'),
            }),
          );
          const crashedBeforeEnd = crashAfter < expected.length - 1;
          expect(first.error !== undefined).toBe(crashedBeforeEnd);
          await runJob(crashed.deps());
          expect(comparable(await streamOf(crashed.store))).toEqual(
            comparable(expected),
          );
          expect(crashed.host.done).toEqual(reference.host.done);
          expect(crashed.rotator.password()).toBe(reference.rotator.password());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('resumed after losing one record, repeats at most that step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fleetArb,
        faultsArb,
        fc.nat({ max: 30 }),
        async (fleet, faults, crashAfter) => {
          const { store, host, rotator, deps } = await setup({
            fleet,
            faults: scriptOf(faults),
            deps: { parallel: 1 },
          });
          await runJob(
            deps({ store: crashingStore(store, crashAfter, 'refuse') }),
          );
          const { error } = await runJob(deps());
          expect(error).toBeUndefined();
          const repeated = host.done.filter(
            (d, i) => host.done.indexOf(d) !== i,
          );
          expect(repeated.length).toBeLessThanOrEqual(1);
          const stream = await streamOf(store);
          const outcomes = stream
            .filter((e) => (e.data as { dependent?: string }).dependent)
            .map((e) => `${e.type} ${JSON.stringify(e.data)}`);
          expect(new Set(outcomes).size).toBe(outcomes.length);
          expect(stream.filter((e) => e.type === 'JobFinished')).toHaveLength(
            1,
          );
          expect(host.startedStopped).toEqual([]);
          // The account only ever gets one new password, even when the
          // crash lost the record of its change.
          expect(new Set(rotator.calls).size).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
