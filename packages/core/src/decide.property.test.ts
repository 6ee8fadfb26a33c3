import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { DecideContext, GatewayCommand } from './decideTypes.js';
import { replay } from './decode.js';
import { RotorEventCodec, jobStream, mappingStream } from './events.js';
import type { RotorEvent } from './events.js';
import {
  evolveGateway,
  initialGatewayState,
  mappingKey,
} from './gatewayState.js';
import type { GatewayState } from './gatewayState.js';
import { createMemoryEventStore } from './memoryStore.js';
import { inventoryOf } from './records.js';
import { testMachine, testUser, withoutOs } from './testing/fixtures.js';
import { testUid } from './testing/uids.js';

const gw = testUid('gw');
const machines = [
  testMachine('m0', gw),
  testMachine('m1', gw, { os: 'WINDOWS' }),
  testMachine('m2', gw),
  testMachine('far', testUid('gw2')),
  testMachine('linux', gw, { os: 'linux' }),
  withoutOs(testMachine('noos', gw)),
];
const users = [testUser('u0'), testUser('u1'), testUser('u2')];
const context: DecideContext = {
  gatewayUid: gw,
  inventory: inventoryOf([
    { type: 'gateway', uid: gw, name: 'gw' },
    ...machines,
    ...users,
  ]),
};
const uids = [
  ...machines.map((m) => m.uid as string),
  ...users.map((u) => u.uid as string),
  testUid('missing'),
];
// Mostly valid picks, so that commands succeed often enough to matter.
const machineUid = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      ...machines.slice(0, 2).map((m) => m.uid as string),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...uids) },
);
const userUid = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      ...users.slice(0, 2).map((u) => u.uid as string),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...uids) },
);
const kinds = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: fc.subarray(['service', 'task', 'iis', 'task']) },
  { weight: 1, arbitrary: fc.subarray(['service', 'dns']) },
);
const meta = { by: 'prop', at: '2026-01-01T00:00:00.000Z' };

type Step =
  GatewayCommand | { readonly type: 'FinishJob'; readonly userUid: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ machineUid, userUid, kinds }).map(({ kinds: k, ...r }) => ({
    type: 'AddMapping' as const,
    ...r,
    ...(k === undefined ? {} : { kinds: k }),
    ...meta,
  })),
  fc.record({ machineUid, userUid, kinds }).map(({ kinds: k, ...r }) => ({
    type: 'RemoveMapping' as const,
    ...r,
    ...(k === undefined ? {} : { kinds: k }),
    ...meta,
  })),
  fc
    .record({
      type: fc.constantFrom(
        'EnableMapping' as const,
        'DisableMapping' as const,
      ),
      scope: fc.oneof(
        fc.record({ machineUid }),
        fc.record({ userUid }),
        fc.record({ machineUid, userUid }),
      ),
    })
    .map((r) => ({ ...r, ...meta })),
  fc
    .record({
      type: fc.constant('ScheduleRotation' as const),
      userUid,
      jobId: fc.constantFrom('j0', 'j1', 'j2', 'j3', 'j4').map(testUid),
      options: fc.record({ external: fc.boolean(), restart: fc.boolean() }),
    })
    .map((r) => ({ ...r, ...meta })),
  fc.record({ type: fc.constant('FinishJob' as const), userUid }),
);

const finish = (jobId: string): RotorEvent =>
  ({
    type: 'JobFinished',
    data: {
      jobId,
      status: 'finished',
      counts: {
        machines: 0,
        machinesFailed: 0,
        dependents: 0,
        updated: 0,
        restarted: 0,
        recycled: 0,
        skipped: 0,
        failed: 0,
      },
      durationMs: 0,
      message: 'done',
      at: meta.at,
    },
  }) as RotorEvent;

const hasAll = (
  s: GatewayState,
  m: string,
  u: string,
  ks: ReadonlyArray<string>,
) =>
  ks.every((k) =>
    s.mappings.has(mappingKey({ machineUid: m, userUid: u, kind: k as never })),
  );

const kindsOf = (k: ReadonlyArray<string> | undefined) =>
  k === undefined || k.length === 0 ? ['service', 'task', 'iis'] : k;

/** What must hold after a command's events were applied. */
const checkEffect = (command: GatewayCommand, after: GatewayState) => {
  switch (command.type) {
    case 'AddMapping':
      expect(
        hasAll(
          after,
          command.machineUid,
          command.userUid,
          kindsOf(command.kinds),
        ),
      ).toBe(true);
      break;
    case 'RemoveMapping':
      for (const k of kindsOf(command.kinds)) {
        expect(
          after.mappings.has(
            mappingKey({
              machineUid: command.machineUid,
              userUid: command.userUid,
              kind: k as never,
            }),
          ),
        ).toBe(false);
      }
      break;
    case 'EnableMapping':
    case 'DisableMapping': {
      const { machineUid: m, userUid: u } = command.scope;
      const set =
        m === undefined ? after.disabledUsers : after.disabledMachines;
      expect(set.has((m ?? u)!)).toBe(command.type === 'DisableMapping');
      break;
    }
    case 'ScheduleRotation':
      expect(after.activeJobs.has(command.userUid)).toBe(true);
      break;
  }
};

describe('decide and evolveGateway (properties)', () => {
  it('evolve accepts what decide emits; appends meet their expected revision; replay is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 5, maxLength: 40 }),
        async (steps) => {
          const store = createMemoryEventStore();
          let state = initialGatewayState(gw);
          const applied: RotorEvent[] = [];
          for (const step of steps) {
            if (step.type === 'FinishJob') {
              const job = state.activeJobs.get(step.userUid);
              if (job !== undefined) {
                const event = finish(job.jobId);
                const r = await store.append(jobStream(job.jobId), [event], 0);
                expect(E.isRight(r)).toBe(true);
                state = evolveGateway(state, event);
                applied.push(event);
              }
              continue;
            }
            const result = decide(step, state, context);
            if (E.isLeft(result)) {
              continue;
            }
            const decision = result.right;
            for (const event of decision.events) {
              expect(RotorEventCodec.is(event)).toBe(true);
            }
            if (decision.events.length > 0) {
              const r = await store.append(
                decision.stream,
                decision.events,
                decision.expected,
              );
              // A job id reused by the arbitrary is refused, as it should be.
              if (step.type === 'ScheduleRotation' && E.isLeft(r)) {
                continue;
              }
              expect(r).toMatchObject({ _tag: 'Right' });
            }
            state = decision.events.reduce(evolveGateway, state);
            applied.push(...decision.events);
            checkEffect(step, state);
            if (step.type !== 'ScheduleRotation') {
              const again = decide(step, state, context);
              expect(E.isRight(again) && again.right.events).toEqual([]);
            }
          }

          const twice = applied.reduce(evolveGateway, initialGatewayState(gw));
          const replayed = await replay(
            store.readAll({ streamPrefixes: [mappingStream(gw), 'job-'] }),
            initialGatewayState(gw),
            evolveGateway,
          );

          expect(twice).toEqual(state);
          expect(E.isRight(replayed) && replayed.right.state).toEqual(state);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('AddMapping reports the first failing check, in the documented order', () => {
    // An independent reading of the order: each check is a predicate over
    // the command, and the first one that fails names the error.
    const get = (uid: string) => context.inventory.get(uid);
    const os = (uid: string) => {
      const r = get(uid);

      return r?.type === 'machine' ? r.os : undefined;
    };
    const checks: ReadonlyArray<
      [
        string,
        (c: {
          machineUid: string;
          userUid: string;
          kinds?: ReadonlyArray<string>;
        }) => boolean,
      ]
    > = [
      ['UnknownMachine', (c) => get(c.machineUid) !== undefined],
      ['NotAMachine', (c) => get(c.machineUid)?.type === 'machine'],
      [
        'MachineNotOnGateway',
        (c) => {
          const r = get(c.machineUid);

          return r?.type === 'machine' && r.gatewayUid === gw;
        },
      ],
      ['UnknownUser', (c) => get(c.userUid) !== undefined],
      ['NotAUser', (c) => get(c.userUid)?.type === 'user'],
      [
        'MachineNotWindows',
        (c) => os(c.machineUid)?.trim().toLowerCase() === 'windows',
      ],
      [
        'InvalidKind',
        (c) =>
          (c.kinds ?? []).every((k) => ['service', 'task', 'iis'].includes(k)),
      ],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...uids),
        fc.constantFrom(...uids),
        kinds,
        (m, u, k) => {
          const command = {
            type: 'AddMapping' as const,
            machineUid: m,
            userUid: u,
            ...(k === undefined ? {} : { kinds: k }),
            ...meta,
          };
          const failing = checks.find(([, ok]) => !ok(command))?.[0];
          const r = decide(command, initialGatewayState(gw), context);

          expect(E.isLeft(r) ? r.left._tag : undefined).toBe(failing);
        },
      ),
      { numRuns: 300 },
    );
  });
});
