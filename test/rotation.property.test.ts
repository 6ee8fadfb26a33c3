// Longer than most files: issue 2's properties read best side by side.
// Issue 2's properties, driven through the whole stack: decide schedules
// the job, the engine runs it over the real Windows layer
// (createWindowsHost, hostAccountRotator, the real scripts and decoders),
// and the simulated transport executes each operation on a simulated host.
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  decodeRecordedEvent,
  foldJob,
  isJobEvent,
  jobStream,
  RotorEventCodec,
  type JobEvent,
  type RecordedEvent,
} from '@rotor/core';
import { rotatedUserKey } from '@rotor/testkit';
import {
  crashingAfter,
  prepare,
  readAll,
  readStream,
  runJob,
  type Prepared,
} from './rotationHarness.js';
import {
  dependentsOf,
  fleetState,
  holdsItsPassword,
  mappedKinds,
  refOf,
  runsAsRotated,
  type HostDependent,
} from './rotationHosts.js';
import { jobId, scenarioArb } from './rotationScenario.js';

// Six properties of 100 runs each: hundreds in all, a few ms per run.
const runs = 100;

const dataOf = (e: RecordedEvent) => e.data as Record<string, unknown>;

const typesOf = (events: ReadonlyArray<RecordedEvent>, ...types: string[]) =>
  events.filter((e) => types.includes(e.type));

const finishedOf = (events: ReadonlyArray<RecordedEvent>) => {
  const last = events.at(-1);
  expect(last?.type).toBe('JobFinished');

  return dataOf(last as RecordedEvent) as {
    status: string;
    counts: Record<string, number>;
  };
};

/** Machines and dependents that an event says failed. */
const failuresOf = (events: ReadonlyArray<RecordedEvent>) => {
  const machines = new Set<string>();
  const dependents = new Set<string>();
  for (const e of events) {
    const d = dataOf(e);
    if (e.type === 'MachineFailed') {
      machines.add(d['machineUid'] as string);
    }
    if (e.type === 'DependentFailed') {
      dependents.add(
        refOf(d['machineUid'] as string, {
          kind: d['kind'] as HostDependent['kind'],
          name: d['dependent'] as string,
        }),
      );
    }
  }

  return { machines, dependents };
};

/** Whether the job had to rewrite this dependent's password. */
const inScope = (p: Prepared, d: HostDependent): boolean =>
  (mappedKinds(p.scenario).get(d.machineUid) ?? []).includes(d.kind) &&
  runsAsRotated(p, d) &&
  holdsItsPassword(d);

const key = (d: HostDependent) => refOf(d.machineUid, d);

/**
 * The services a job restarted: those it restarted itself, and those a
 * restart of another restarted with it whose credential the job wrote and
 * that did not fail.
 */
const restartedOf = (
  events: ReadonlyArray<RecordedEvent>,
  failed: ReadonlySet<string>,
): number => {
  const service = (machineUid: unknown, name: unknown) =>
    refOf(machineUid as string, { kind: 'service', name: name as string });
  const written = new Set(
    typesOf(events, 'ServiceCredentialUpdated').map((e) =>
      service(dataOf(e)['machineUid'], dataOf(e)['dependent']),
    ),
  );
  const all = new Set<string>();
  for (const e of typesOf(events, 'ServiceRestarted')) {
    const d = dataOf(e);
    all.add(service(d['machineUid'], d['dependent']));
    for (const n of d['dependentsRestarted'] as string[]) {
      const k = service(d['machineUid'], n);
      if (written.has(k) && !failed.has(k)) {
        all.add(k);
      }
    }
  }

  return all.size;
};

/** The services a restart of `name` stops on its host, transitively. */
const dependentsChain = (d: HostDependent, name: string): Set<string> => {
  const found = new Set<string>();
  const visit = (n: string) => {
    for (const s of d.host.services.values()) {
      const needs = s.dependsOn.some((x) => x.toLowerCase() === n);
      if (needs && !found.has(s.name.toLowerCase())) {
        found.add(s.name.toLowerCase());
        visit(s.name.toLowerCase());
      }
    }
  };
  visit(name.toLowerCase());

  return found;
};

/** Every account's password, by `domain\\sam` or `HOSTKEY\\sam`. */
const accountsOf = (p: Prepared): Map<string, string> =>
  new Map([
    ...(p.fleet.domain?.accounts.list() ?? []).map((a): [string, string] => [
      `domain\\${a.sam.toLowerCase()}`,
      a.password,
    ]),
    ...[...p.fleet.hostByKey].flatMap(([hostKey, host]) =>
      host.localAccounts
        .list()
        .map((a): [string, string] => [
          `${hostKey}\\${a.sam.toLowerCase()}`,
          a.password,
        ]),
    ),
  ]);

/** The key of the rotated account in {@link accountsOf}. */
const rotatedAccount = (p: Prepared): string => {
  const u = p.scenario.spec.users.find((x) => x.key === rotatedUserKey);

  return `${u?.scope === 'local' ? u.hostKey : 'domain'}\\${u?.sam.toLowerCase()}`;
};

const currentPassword = async (p: Prepared): Promise<string> => {
  const current = await p.secrets.current(p.user.uid);
  if (E.isLeft(current)) {
    throw new Error(current.left.message);
  }

  return current.right.password.reveal();
};

describe('rotation through the real Windows layer (issue 2 properties)', () => {
  it('1. every dependent of the rotated account holds the new password; nothing else is touched', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'none' }), async (scenario) => {
        const p = await prepare(scenario);
        // A local user mapped elsewhere: refused, or skipped with a warning
        // when it was recorded before the check.
        const stray = scenario.stray ?? [];
        expect(p.refused.map((r) => r?._tag)).toEqual(
          stray
            .filter((x) => !x.recordedBefore)
            .map(() => 'LocalUserElsewhere'),
        );
        expect(
          p.scheduleWarnings.flatMap((w) =>
            w._tag === 'MachineSkipped' && w.error._tag === 'LocalUserElsewhere'
              ? [w.machineUid]
              : [],
          ),
        ).toEqual(
          stray
            .filter((x) => x.recordedBefore)
            .map((x) => x.mapping.machineUid),
        );
        const before = new Map(dependentsOf(p.fleet).map((d) => [key(d), d]));
        const accountsBefore = accountsOf(p);
        const { error } = await runJob(p.deps());
        expect(error).toBeUndefined();
        const stream = await readStream(p.store);
        expect(finishedOf(stream).status).toBe('finished');
        const next = await currentPassword(p);
        expect(next).toBe(scenario.password);
        // The account itself has the new password; every other keeps its own.
        const rotated = rotatedAccount(p);
        expect(accountsOf(p)).toEqual(
          new Map([...accountsBefore, [rotated, next]]),
        );

        for (const d of dependentsOf(p.fleet)) {
          const was = before.get(key(d));
          const counters = d.host.counters(d);
          if (inScope(p, d)) {
            expect({ dependent: key(d), password: d.password }).toEqual({
              dependent: key(d),
              password: next,
            });
            expect(counters.credentialSets).toBe(1);
          } else {
            expect({ dependent: key(d), password: d.password }).toEqual({
              dependent: key(d),
              password: was?.password,
            });
            expect(counters.credentialSets).toBe(0);
            expect(counters.recycles).toBe(0);
          }
        }
        // The journals agree: every credential written went to an account
        // that is the rotated one.
        for (const host of p.fleet.hosts.values()) {
          for (const j of host.journal()) {
            if (j.action.startsWith('set-') && j.account !== undefined) {
              const hostKey = [...p.fleet.hostByKey].find(
                ([, h]) => h === host,
              )?.[0] as string;
              expect(
                runsAsRotated(p, { host, hostKey, account: j.account }),
              ).toBe(true);
            }
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it('2. stopped services stay stopped; running ones are restarted once, their dependents run again', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'none' }), async (scenario) => {
        const p = await prepare(scenario);
        const services = dependentsOf(p.fleet).filter(
          (d) => d.kind === 'service',
        );
        const { error } = await runJob(p.deps());
        expect(error).toBeUndefined();
        const after = new Map(dependentsOf(p.fleet).map((d) => [key(d), d]));
        const restarted = services.filter((d) => inScope(p, d) && d.running);
        const chainOf = (r: HostDependent) =>
          new Set(
            [...dependentsChain(r, r.name)].map(
              (n) => `${r.machineUid} service ${n}`,
            ),
          );
        // A service whose restart another's restart does (it depends on
        // it, directly or not) is restarted with that one, not on its own.
        const roots = restarted.filter(
          (d) =>
            !restarted.some(
              (r) => r !== d && r.host === d.host && chainOf(r).has(key(d)),
            ),
        );

        for (const d of services) {
          const now = after.get(key(d));
          const c = d.host.counters(d);
          if (!d.running) {
            expect({
              service: key(d),
              state: now?.running,
              starts: c.starts,
            }).toEqual({ service: key(d), state: false, starts: 0 });
            continue;
          }
          expect({ service: key(d), running: now?.running }).toEqual({
            service: key(d),
            running: true,
          });
          // Stopped and started once per restart of itself or of a service
          // it depends on: exactly once for a restarted service with one
          // such restart (chained services included); a service depending
          // on two restarted ones that do not depend on each other cannot
          // avoid two.
          const cycles = roots.filter(
            (r) => r === d || (r.host === d.host && chainOf(r).has(key(d))),
          ).length;
          if (restarted.includes(d)) {
            expect(cycles).toBeGreaterThan(0);
          }
          expect({
            service: key(d),
            stops: c.stops,
            starts: c.starts,
          }).toEqual({ service: key(d), stops: cycles, starts: cycles });
        }
      }),
      { numRuns: runs },
    );
  });

  it('3. a crash between any two events, resumed from the store, ends as an uninterrupted run and does nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb({ faults: 'some', parallel: 1 }),
        fc.nat({ max: 40 }),
        async (scenario, crashAfter) => {
          const reference = await prepare(scenario);
          expect((await runJob(reference.deps())).error).toBeUndefined();
          const expected = await readStream(reference.store);

          const crashed = await prepare(scenario);
          const first = await runJob(
            crashed.deps({ store: crashingAfter(crashed.store, crashAfter) }),
          );
          // The engine appended everything after RotationScheduled.
          const appended = expected.length - 1;
          expect(first.error !== undefined).toBe(crashAfter < appended);
          const resumed = await runJob(crashed.deps());
          expect(resumed.error).toBeUndefined();

          const comparable = (events: ReadonlyArray<RecordedEvent>) =>
            events.map((e) => ({ type: e.type, data: e.data }));
          expect(comparable(await readStream(crashed.store))).toEqual(
            comparable(expected),
          );
          // Hosts, accounts and per-dependent counters (credential sets,
          // starts, stops, recycles) are those of the uninterrupted run.
          expect(fleetState(crashed.fleet)).toEqual(
            fleetState(reference.fleet),
          );
        },
      ),
      { numRuns: runs },
    );
  });

  it('4. no event, log record, error or transport command line holds the password', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'some' }), async (scenario) => {
        const p = await prepare(scenario);
        const { error } = await runJob(p.deps());
        const events = await readAll(p.store);
        const texts = [
          ...events.map((e) => JSON.stringify({ type: e.type, data: e.data })),
          ...p.logger.records,
          ...(error === undefined
            ? []
            : [String(error), JSON.stringify(error)]),
          ...p.transport.received().flatMap((c) => [c.operation, c.script]),
        ];
        const leaves = new Set<string>();
        const collect = (v: unknown): void => {
          if (typeof v === 'string') {
            leaves.add(v);
          } else if (v !== null && typeof v === 'object') {
            Object.values(v).forEach(collect);
          }
        };
        events.forEach((e) => collect(e.data));
        p.logger.records.forEach((r) => collect(JSON.parse(r)));

        for (const password of [scenario.password, p.oldPassword]) {
          // A password is never a value of its own, whatever its length.
          expect(leaves.has(password)).toBe(false);
          const chars = Array.from(password);
          const pieces =
            chars.length < 6
              ? []
              : chars
                  .slice(0, chars.length - 5)
                  .map((_, i) => chars.slice(i, i + 6).join(''));
          for (const piece of [
            ...(chars.length >= 6 ? [password] : []),
            ...pieces,
          ]) {
            const escaped = JSON.stringify(piece).slice(1, -1);
            for (const text of texts) {
              if (text.includes(piece) || text.includes(escaped)) {
                throw new Error(
                  `a piece of the password is in: ${text.slice(0, 200)}`,
                );
              }
            }
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it('5. replaying the stored events gives the live state; every event decodes and encodes to itself', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'some' }), async (scenario) => {
        const p = await prepare(scenario);
        const { emitted, error } = await runJob(p.deps());
        expect(error).toBeUndefined();
        const all = await readAll(p.store);
        const decoded = all.map((e) => {
          const d = decodeRecordedEvent(e);
          if (E.isLeft(d)) {
            throw new Error(`${e.type} does not decode`);
          }
          expect(RotorEventCodec.encode(d.right)).toEqual({
            type: e.type,
            data: e.data,
          });

          return d.right;
        });
        const jobEvents = decoded.filter(isJobEvent) as JobEvent[];
        const stream = await readStream(p.store);
        expect(jobEvents).toHaveLength(stream.length);
        const scheduled = jobEvents.slice(0, 1);
        const live = foldJob([
          ...scheduled,
          ...emitted.map((e) => {
            const d = decodeRecordedEvent(e);

            return (E.isRight(d) ? d.right : undefined) as JobEvent;
          }),
        ]);
        expect(foldJob(jobEvents)).toEqual(live);
        expect(await createEngine(p.deps()).state(jobId)).toEqual(live);
        expect(emitted.map((e) => e.stream)).toEqual(
          emitted.map(() => jobStream(jobId)),
        );
      }),
      { numRuns: runs },
    );
  });

  it('with faults, failing machines fail alone, counts match, and a failed password change touches nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'some' }), async (scenario) => {
        const p = await prepare(scenario);
        const before = new Map(dependentsOf(p.fleet).map((d) => [key(d), d]));
        const { error } = await runJob(p.deps());
        expect(error).toBeUndefined();
        const stream = await readStream(p.store);
        const end = finishedOf(stream);
        const touched = (h: {
          journal: () => ReadonlyArray<{ action: string }>;
        }) =>
          h
            .journal()
            .filter((j) => /^(set-|start-|stop-|recycle-)/.test(j.action));

        const passwordFailed =
          typesOf(stream, 'PasswordChangeFailed').length > 0;
        expect(end.status === 'failed').toBe(passwordFailed);
        if (passwordFailed) {
          expect(
            typesOf(
              stream,
              'ServiceCredentialUpdated',
              'TaskCredentialUpdated',
              'AppPoolCredentialUpdated',
            ),
          ).toEqual([]);
          for (const host of p.fleet.hosts.values()) {
            expect(touched(host)).toEqual([]);
          }

          return;
        }
        const failed = failuresOf(stream);
        const count = (...types: string[]) => typesOf(stream, ...types).length;
        const targets = new Set<string>(
          scenario.mappings.map((m) => m.machineUid),
        );
        expect(end.counts).toMatchObject({
          machines: targets.size,
          machinesFailed: failed.machines.size,
          updated: count(
            'ServiceCredentialUpdated',
            'TaskCredentialUpdated',
            'AppPoolCredentialUpdated',
          ),
          restarted: restartedOf(stream, failed.dependents),
          recycled: count('AppPoolRecycled'),
          // A restart halted after a logon failure is counted as skipped.
          skipped: count(
            'ServiceRestartSkipped',
            'ServiceRestartHalted',
            'AppPoolRecycleHalted',
          ),
          failed: failed.dependents.size,
        });
        expect(end.status).toBe(
          failed.machines.size + failed.dependents.size > 0
            ? 'finished-with-errors'
            : 'finished',
        );

        // A dependent whose update failed is never restarted or recycled.
        for (const e of typesOf(stream, 'DependentFailed')) {
          const d = dataOf(e);
          if (d['step'] === 'update') {
            const later = typesOf(stream, 'ServiceRestarted', 'AppPoolRecycled')
              .map(dataOf)
              .filter(
                (x) =>
                  x['machineUid'] === d['machineUid'] &&
                  x['dependent'] === d['dependent'],
              );
            expect(later).toEqual([]);
          }
        }

        const f = scenario.faults;
        const cutOff = new Set([
          ...(f.unreachable ?? []),
          ...(f.logonRefused ?? []),
        ]);
        const faulty = new Set([
          ...cutOff,
          ...(f.failingSteps ?? []).map((s) => s.machineUid),
          ...(f.transient ?? []).map((s) => s.machineUid),
        ]);
        for (const uid of targets) {
          if (cutOff.has(uid)) {
            expect(failed.machines.has(uid)).toBe(true);
          }
        }
        const next = await currentPassword(p);
        for (const d of dependentsOf(p.fleet)) {
          const c = d.host.counters(d);
          if (cutOff.has(d.machineUid) || !targets.has(d.machineUid)) {
            // Nothing reached a machine that was cut off or not mapped.
            expect(c).toEqual({
              starts: 0,
              stops: 0,
              credentialSets: 0,
              recycles: 0,
            });
            expect(d.password).toBe(before.get(key(d))?.password);
          } else if (!faulty.has(d.machineUid)) {
            // A machine without faults is finished whatever the others do.
            expect(failed.machines.has(d.machineUid)).toBe(false);
            expect(failed.dependents.has(key(d))).toBe(false);
            if (inScope(p, d)) {
              expect(d.password).toBe(next);
            }
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
