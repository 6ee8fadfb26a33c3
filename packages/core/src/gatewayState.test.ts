import { describe, expect, it } from 'vitest';
import type { RotorEvent } from './events.js';
import { evolveGateway, initialGatewayState } from './gatewayState.js';
import { activeJobOf, mappingsOf, targetsFor } from './gatewayStateQueries.js';
import { testUid } from './testing/uids.js';
import type { Uid } from './uid.js';

const gw = testUid('gw');
const other = testUid('other');
const [m1, m2, u1, u2, j1, j2] = ['m1', 'm2', 'u1', 'u2', 'j1', 'j2'].map(
  testUid,
) as [Uid, Uid, Uid, Uid, Uid, Uid];
const at = '2026-01-01T00:00:00.000Z';
const by = 'alice';

const added = (
  machineUid: string,
  userUid: string,
  kind: 'service' | 'task' | 'iis',
  gatewayUid = gw,
) =>
  ({
    type: 'MappingAdded',
    data: { gatewayUid, machineUid, userUid, kind, by, at },
  }) as RotorEvent;

const fold = (events: ReadonlyArray<RotorEvent>) =>
  events.reduce(evolveGateway, initialGatewayState(gw));

describe('evolveGateway', () => {
  it('adds and removes mappings of its own gateway only', () => {
    const s = fold([
      added(m1, u1, 'service'),
      added(m1, u1, 'iis'),
      added(m2, u1, 'task', other),
      {
        type: 'MappingRemoved',
        data: {
          gatewayUid: gw,
          machineUid: m1,
          userUid: u1,
          kind: 'service',
          by,
          at,
        },
      } as RotorEvent,
    ]);

    expect(mappingsOf(s)).toEqual([
      { gatewayUid: gw, machineUid: m1, userUid: u1, kind: 'iis' },
    ]);
    expect(s.mappingEvents).toBe(3);
  });

  it('disables and enables machines and users', () => {
    const toggle = (
      type: 'MappingsDisabled' | 'MappingsEnabled',
      scope: object,
      gatewayUid = gw,
    ) => ({ type, data: { gatewayUid, scope, by, at } }) as RotorEvent;

    const s = fold([
      toggle('MappingsDisabled', { machineUid: m1 }),
      toggle('MappingsDisabled', { userUid: u1 }),
      toggle('MappingsDisabled', { userUid: u2 }),
      toggle('MappingsEnabled', { userUid: u1 }),
      toggle('MappingsDisabled', { machineUid: m2 }, other),
    ]);

    expect([...s.disabledMachines]).toEqual([m1]);
    expect([...s.disabledUsers]).toEqual([u2]);
    expect(s.mappingEvents).toBe(4);
  });

  it('tracks a job from RotationScheduled to JobFinished', () => {
    const scheduled = (jobId: Uid, gatewayUid = gw) =>
      ({
        type: 'RotationScheduled',
        data: {
          jobId,
          gatewayUid,
          userUid: u1,
          targets: [],
          options: { external: false, restart: true },
          by,
          at,
        },
      }) as RotorEvent;
    const finishedJob = (jobId: Uid) =>
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
          durationMs: 1,
          message: 'done',
          at,
        },
      }) as RotorEvent;

    const running = fold([scheduled(j1), scheduled(j2, other)]);
    const done = [finishedJob(j2), finishedJob(j1)].reduce(
      evolveGateway,
      running,
    );

    expect(activeJobOf(running, u1)).toEqual({ jobId: j1, userUid: u1, at });
    expect(activeJobOf(done, u1)).toBeUndefined();
    expect(running.mappingEvents).toBe(0);
  });

  it('leaves the state as it was for job steps', () => {
    const s = fold([added(m1, u1, 'task')]);
    const e = {
      type: 'PasswordChanged',
      data: { jobId: j1, secretVersion: 2, by: 'engine', at },
    } as RotorEvent;

    expect(evolveGateway(s, e)).toBe(s);
  });
});

describe('queries', () => {
  const s = fold([
    added(m1, u1, 'iis'),
    added(m2, u1, 'task'),
    added(m1, u1, 'service'),
    added(m1, u2, 'task'),
  ]);

  it('filters mappings by user and machine', () => {
    expect(mappingsOf(s, { userUid: u2 }).map((m) => m.kind)).toEqual(['task']);
    expect(mappingsOf(s, { machineUid: m1, userUid: u1 }).length).toBe(2);
  });

  it('groups targets by machine, kinds in job order', () => {
    expect(targetsFor(s, u1)).toEqual([
      { machineUid: m1, kinds: ['service', 'iis'] },
      { machineUid: m2, kinds: ['task'] },
    ]);
  });

  it('skips disabled machines and users', () => {
    const disabled = [
      {
        type: 'MappingsDisabled',
        data: { gatewayUid: gw, scope: { machineUid: m1 }, by, at },
      },
      {
        type: 'MappingsDisabled',
        data: { gatewayUid: gw, scope: { userUid: u2 }, by, at },
      },
    ] as RotorEvent[];
    const d = disabled.reduce(evolveGateway, s);

    expect(targetsFor(d, u1)).toEqual([{ machineUid: m2, kinds: ['task'] }]);
    expect(targetsFor(d, u2)).toEqual([]);
  });
});
