import { describe, expect, it } from 'vitest';
import type { RotorEvent } from './events.js';
import { inventoryOf } from './records.js';
import { decideSpec } from './testing/decider.js';
import { testMachine, testUser, withoutOs } from './testing/fixtures.js';
import { testUid } from './testing/uids.js';

const gw = testUid('gw');
const otherGw = testUid('gw2');
const m1 = testMachine('m1', gw);
const m2 = testMachine('m2', gw, { os: ' Windows ' });
const far = testMachine('far', otherGw);
const linux = testMachine('linux', gw, { os: 'Linux' });
const noOs = withoutOs(testMachine('noos', gw));
const blank = testMachine('blank', gw, { os: '  ' });
const u1 = testUser('u1');
const u2 = testUser('u2');
const inventory = inventoryOf([
  { type: 'gateway', uid: gw, name: 'gw' },
  m1,
  m2,
  far,
  linux,
  noOs,
  blank,
  u1,
  u2,
]);
const spec = decideSpec({ inventory, gatewayUid: gw });
const by = 'alice';
const at = '2026-03-01T10:00:00.000Z';
const meta = { by, at };
const missing = testUid('missing');

const added = (
  machineUid: string,
  userUid: string,
  kind: 'service' | 'task' | 'iis',
) =>
  ({
    type: 'MappingAdded',
    data: { gatewayUid: gw, machineUid, userUid, kind, by, at },
  }) as RotorEvent;

const removed = (
  machineUid: string,
  userUid: string,
  kind: 'service' | 'task' | 'iis',
) =>
  ({
    type: 'MappingRemoved',
    data: { gatewayUid: gw, machineUid, userUid, kind, by, at },
  }) as RotorEvent;

const add = (machineUid: string, userUid: string, kinds?: string[]) => ({
  type: 'AddMapping' as const,
  machineUid,
  userUid,
  ...(kinds === undefined ? {} : { kinds }),
  ...meta,
});

describe('AddMapping', () => {
  it('adds one mapping per kind, all three when none is named', () => {
    const { decision } = spec
      .given()
      .when(add(m1.uid, u1.uid))
      .thenEvents([
        added(m1.uid, u1.uid, 'service'),
        added(m1.uid, u1.uid, 'task'),
        added(m1.uid, u1.uid, 'iis'),
      ]);

    expect(decision).toMatchObject({
      stream: `mappings-${gw}`,
      expected: 'no-stream',
    });
  });

  it('takes several kinds, once each, and skips those mapped', () => {
    const { decision } = spec
      .given([added(m1.uid, u1.uid, 'task')])
      .when(add(m1.uid, u1.uid, ['iis', 'task', 'iis']))
      .thenEvents([added(m1.uid, u1.uid, 'iis')]);

    expect(decision.expected).toBe(0);
  });

  it('is a success with no event when the mapping exists', () => {
    spec
      .given([added(m1.uid, u1.uid, 'task')])
      .when(add(m1.uid, u1.uid, ['task']))
      .thenEvents([]);
  });

  it('accepts an os of " Windows " (case and spaces ignored)', () => {
    spec
      .given()
      .when(add(m2.uid, u1.uid, ['service']))
      .thenEvents([added(m2.uid, u1.uid, 'service')]);
  });

  it.each([
    [
      'unknown machine',
      add(missing, 'also-missing', ['dns']),
      {
        _tag: 'UnknownMachine',
        machineUid: missing,
      },
    ],
    [
      'record is not a machine',
      add(u1.uid, missing, ['dns']),
      {
        _tag: 'NotAMachine',
        uid: u1.uid,
        recordType: 'user',
      },
    ],
    [
      'machine of another gateway',
      add(far.uid, missing, ['dns']),
      {
        _tag: 'MachineNotOnGateway',
        machineUid: far.uid,
        machineGatewayUid: otherGw,
        gatewayUid: gw,
      },
    ],
    [
      'unknown user',
      add(linux.uid, missing, ['dns']),
      {
        _tag: 'UnknownUser',
        userUid: missing,
      },
    ],
    [
      'record is not a user',
      add(linux.uid, gw, ['dns']),
      {
        _tag: 'NotAUser',
        uid: gw,
        recordType: 'gateway',
      },
    ],
    [
      'os not windows',
      add(linux.uid, u1.uid, ['dns']),
      {
        _tag: 'MachineNotWindows',
        machineUid: linux.uid,
        reason: 'other',
        os: 'Linux',
      },
    ],
    [
      'os missing',
      add(noOs.uid, u1.uid, ['dns']),
      {
        _tag: 'MachineNotWindows',
        machineUid: noOs.uid,
        reason: 'missing',
      },
    ],
    [
      'os blank',
      add(blank.uid, u1.uid, ['dns']),
      {
        _tag: 'MachineNotWindows',
        machineUid: blank.uid,
        reason: 'blank',
      },
    ],
    [
      'kind outside service/task/iis',
      add(m1.uid, u1.uid, ['task', 'dns']),
      {
        _tag: 'InvalidKind',
        kind: 'dns',
      },
    ],
  ] as const)('refuses: %s (first failing check wins)', (_, command, error) => {
    spec.given().when(command).thenError(error);
  });
});

describe('RemoveMapping', () => {
  const remove = (machineUid: string, userUid: string, kinds?: string[]) => ({
    ...add(machineUid, userUid, kinds),
    type: 'RemoveMapping' as const,
  });

  it('removes each mapped kind, all when none is named', () => {
    const { decision, next } = spec
      .given([added(m1.uid, u1.uid, 'iis'), added(m1.uid, u1.uid, 'service')])
      .when(remove(m1.uid, u1.uid))
      .thenEvents([
        removed(m1.uid, u1.uid, 'iis'),
        removed(m1.uid, u1.uid, 'service'),
      ]);

    expect(decision.expected).toBe(1);
    expect(next.mappings.size).toBe(0);
  });

  it('warns for named kinds that were not mapped', () => {
    spec
      .given([added(m1.uid, u1.uid, 'iis')])
      .when(remove(m1.uid, u1.uid, ['iis', 'task']))
      .thenEvents(
        [removed(m1.uid, u1.uid, 'iis')],
        [
          {
            _tag: 'MappingNotFound',
            machineUid: m1.uid,
            userUid: u1.uid,
            kinds: ['task'],
          },
        ],
      );
  });

  it('is a success with a warning when nothing was mapped', () => {
    spec
      .given()
      .when(remove(m1.uid, u1.uid))
      .thenEvents(
        [],
        [
          {
            _tag: 'MappingNotFound',
            machineUid: m1.uid,
            userUid: u1.uid,
            kinds: ['service', 'task', 'iis'],
          },
        ],
      );
  });

  it('still checks uids when nothing is mapped', () => {
    spec
      .given()
      .when(remove(missing, u1.uid))
      .thenError({ _tag: 'UnknownMachine', machineUid: missing });
  });

  it('removes a mapping whose machine has left the inventory', () => {
    const gone = testUid('gone');

    spec
      .given([added(gone, u1.uid, 'task')])
      .when(remove(gone, u1.uid))
      .thenEvents([removed(gone, u1.uid, 'task')]);
  });

  it('checks kinds even for mapped pairs', () => {
    spec
      .given([added(m1.uid, u1.uid, 'task')])
      .when(remove(m1.uid, u1.uid, ['tasks']))
      .thenError({ _tag: 'InvalidKind', kind: 'tasks' });
  });
});

describe('EnableMapping and DisableMapping', () => {
  const toggle = (
    type: 'EnableMapping' | 'DisableMapping',
    scope: { machineUid?: string; userUid?: string },
  ) => ({ type, scope, ...meta });
  const event = (type: 'MappingsEnabled' | 'MappingsDisabled', scope: object) =>
    ({ type, data: { gatewayUid: gw, scope, by, at } }) as RotorEvent;

  it('disables a machine, and a second time does nothing', () => {
    const { next } = spec
      .given([added(m1.uid, u1.uid, 'task')])
      .when(toggle('DisableMapping', { machineUid: m1.uid }))
      .thenEvents([event('MappingsDisabled', { machineUid: m1.uid })]);

    expect(next.disabledMachines.has(m1.uid)).toBe(true);
    spec
      .given([
        added(m1.uid, u1.uid, 'task'),
        event('MappingsDisabled', { machineUid: m1.uid }),
      ])
      .when(toggle('DisableMapping', { machineUid: m1.uid }))
      .thenEvents([]);
  });

  it('enables a disabled user, and an enabled one is left alone', () => {
    spec
      .given([event('MappingsDisabled', { userUid: u1.uid })])
      .when(toggle('EnableMapping', { userUid: u1.uid }))
      .thenEvents([event('MappingsEnabled', { userUid: u1.uid })]);
    spec
      .given()
      .when(toggle('EnableMapping', { userUid: u2.uid }))
      .thenEvents([]);
  });

  it('needs exactly one of machine and user', () => {
    spec
      .given()
      .when(toggle('DisableMapping', {}))
      .thenError({ _tag: 'InvalidScope', given: [] });
    spec
      .given()
      .when(toggle('EnableMapping', { machineUid: m1.uid, userUid: u1.uid }))
      .thenError({ _tag: 'InvalidScope', given: ['machineUid', 'userUid'] });
  });

  it('checks the machine or the user it names', () => {
    spec
      .given()
      .when(toggle('DisableMapping', { machineUid: far.uid }))
      .thenError({
        _tag: 'MachineNotOnGateway',
        machineUid: far.uid,
        machineGatewayUid: otherGw,
        gatewayUid: gw,
      });
    spec
      .given()
      .when(toggle('DisableMapping', { userUid: m1.uid }))
      .thenError({ _tag: 'NotAUser', uid: m1.uid, recordType: 'machine' });
  });
});

describe('ScheduleRotation', () => {
  const jobId = testUid('job1');
  const schedule = (userUid: string) => ({
    type: 'ScheduleRotation' as const,
    userUid,
    jobId,
    options: { external: false, restart: true },
    ...meta,
  });
  const scheduled = (
    targets: ReadonlyArray<{ machineUid: string; kinds: string[] }>,
  ) =>
    ({
      type: 'RotationScheduled',
      data: {
        jobId,
        gatewayUid: gw,
        userUid: u1.uid,
        targets,
        options: { external: false, restart: true },
        by,
        at,
      },
    }) as RotorEvent;

  it('schedules a job with the targets as mapped', () => {
    const { decision, next } = spec
      .given([
        added(m2.uid, u1.uid, 'iis'),
        added(m1.uid, u1.uid, 'task'),
        added(m2.uid, u1.uid, 'service'),
        added(m1.uid, u2.uid, 'service'),
      ])
      .when(schedule(u1.uid))
      .thenEvents([
        scheduled([
          { machineUid: m2.uid, kinds: ['service', 'iis'] },
          { machineUid: m1.uid, kinds: ['task'] },
        ]),
      ]);

    expect(decision).toMatchObject({
      stream: `job-${jobId}`,
      expected: 'no-stream',
      jobId,
    });
    expect(next.activeJobs.get(u1.uid)?.jobId).toBe(jobId);
  });

  it('returns the running job instead of a second one', () => {
    const running = testUid('running');
    const history = [
      added(m1.uid, u1.uid, 'task'),
      {
        ...scheduled([{ machineUid: m1.uid, kinds: ['task'] }]),
        data: {
          ...(scheduled([]).data as object),
          jobId: running,
          targets: [{ machineUid: m1.uid, kinds: ['task'] }],
        },
      } as RotorEvent,
    ];

    const { decision } = spec
      .given(history)
      .when(schedule(u1.uid))
      .thenEvents(
        [],
        [{ _tag: 'JobAlreadyRunning', jobId: running, userUid: u1.uid }],
      );

    expect(decision.jobId).toBe(running);
  });

  it('skips machines the inventory no longer allows, with a warning', () => {
    spec
      .given([added(linux.uid, u1.uid, 'task'), added(m1.uid, u1.uid, 'task')])
      .when(schedule(u1.uid))
      .thenEvents(
        [scheduled([{ machineUid: m1.uid, kinds: ['task'] }])],
        [
          {
            _tag: 'MachineSkipped',
            machineUid: linux.uid,
            error: {
              _tag: 'MachineNotWindows',
              machineUid: linux.uid,
              reason: 'other',
              os: 'Linux',
            },
          },
        ],
      );
  });

  it.each([
    ['not-mapped', [added(m1.uid, u2.uid, 'task')]],
    [
      'user-disabled',
      [
        added(m1.uid, u1.uid, 'task'),
        {
          type: 'MappingsDisabled',
          data: { gatewayUid: gw, scope: { userUid: u1.uid }, by, at },
        },
      ],
    ],
    [
      'machines-disabled',
      [
        added(m1.uid, u1.uid, 'task'),
        {
          type: 'MappingsDisabled',
          data: { gatewayUid: gw, scope: { machineUid: m1.uid }, by, at },
        },
      ],
    ],
    ['machines-unusable', [added(far.uid, u1.uid, 'task')]],
  ] as const)('refuses a user with nothing to fix: %s', (reason, history) => {
    spec
      .given(history as ReadonlyArray<RotorEvent>)
      .when(schedule(u1.uid))
      .thenError({
        _tag: 'NoMappings',
        userUid: u1.uid,
        gatewayUid: gw,
        reason,
      });
  });

  it('refuses an unknown user and a record that is not a user', () => {
    spec
      .given()
      .when(schedule(missing))
      .thenError({ _tag: 'UnknownUser', userUid: missing });
    spec
      .given()
      .when(schedule(m1.uid))
      .thenError({ _tag: 'NotAUser', uid: m1.uid, recordType: 'machine' });
  });
});
