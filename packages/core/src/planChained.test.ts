import { describe, expect, it } from 'vitest';
import {
  found,
  onDependent,
  passwordChanged,
  scheduled,
  service,
  task,
  uid,
} from '../test/engine/fixtures.js';
import type { DependentKind } from './dependent.js';
import type { JobEvent } from './events.js';
import { failure } from './failure.js';
import { machineOf } from './jobState.js';
import { foldJob } from './jobStateEvolve.js';
import { plan } from './plan.js';
import { countJob } from './planCounts.js';

const target = (n: number, kind: DependentKind) => ({
  machineUid: uid(n),
  kinds: [kind],
});

const names = (events: ReadonlyArray<JobEvent>) =>
  plan(foldJob(events)).map((a) =>
    a.type === 'UpdateCredential'
      ? `update ${a.dependent.name}`
      : a.type === 'RestartService'
        ? `restart ${a.service.name}`
        : a.type === 'SkipRestart'
          ? `skip ${a.service.name} ${a.reason}`
          : a.type,
  );

const restarted = (
  name: string,
  dependentsRestarted: ReadonlyArray<string> = [],
): JobEvent => ({
  type: 'ServiceRestarted',
  data: {
    ...onDependent(1, name),
    dependentsRestarted: [...dependentsRestarted],
  },
});

const updated = (name: string): JobEvent => ({
  type: 'ServiceCredentialUpdated',
  data: { ...onDependent(1, name), secretVersion: 2 },
});

// Upper depends on Base; Top on Upper (so on Base too). The snapshot lists
// each service's dependents transitively, as enumerate-dependents does.
const top = service('Top');
const upper = service('Upper', 'running', [{ name: 'Top', state: 'running' }]);
const base = service('Base', 'running', [
  { name: 'upper', state: 'running' },
  { name: 'Top', state: 'running' },
]);

const start = (order: ReadonlyArray<ReturnType<typeof service>>) => [
  scheduled([target(1, 'service')]),
  passwordChanged(2),
  found(1, order),
];

describe('plan: services restarted with a dependency', () => {
  it.each([
    ['dependency first', [base, upper, top]],
    ['dependents first', [top, upper, base]],
  ])('restarts only the service the others depend on (%s)', (_, order) => {
    const events = [...start(order), ...order.map((s) => updated(s.name))];
    expect(names(events)).toEqual(['restart Base']);
  });

  it('records the dependents restarted with it as restarted, and counts them', () => {
    const events = [
      ...start([base, upper, top]),
      ...['Base', 'Upper', 'Top'].map(updated),
      restarted('Base', ['Top', 'Upper']),
    ];
    const state = foldJob(events);
    expect(names(events)).toEqual(['Finish']);
    expect(state.status).toBe('running');
    if (state.status !== 'running') {
      return;
    }
    expect(
      machineOf(state, target(1, 'service').machineUid).dependents,
    ).toEqual({
      'service:base': {
        status: 'restarted',
        dependentsRestarted: ['Top', 'Upper'],
      },
      'service:upper': {
        status: 'restarted',
        dependentsRestarted: [],
        with: 'Base',
      },
      'service:top': {
        status: 'restarted',
        dependentsRestarted: [],
        with: 'Base',
      },
    });
    expect(
      countJob([
        {
          machine: machineOf(state, target(1, 'service').machineUid),
          kinds: ['service'],
        },
      ]),
    ).toMatchObject({ dependents: 3, updated: 3, restarted: 3, skipped: 0 });
  });

  it('restarts a dependent on its own when the restart of its dependency failed', () => {
    const events: JobEvent[] = [
      ...start([base, upper]),
      updated('Base'),
      updated('Upper'),
      {
        type: 'DependentFailed',
        data: {
          ...onDependent(1, 'Base'),
          kind: 'service',
          step: 'restart',
          error: failure('ERROR_SERVICE_LOGON_FAILED', 'no', {
            windowsCode: 1069,
          }),
        },
      },
    ];
    expect(names(events)).toEqual(['restart Upper']);
  });

  it('does not mark a dependent whose update failed', () => {
    const events: JobEvent[] = [
      ...start([base, upper]),
      updated('Base'),
      {
        type: 'DependentFailed',
        data: {
          ...onDependent(1, 'Upper'),
          kind: 'service',
          step: 'update',
          error: failure('ERROR_ACCESS_DENIED', 'no', { windowsCode: 5 }),
        },
      },
      restarted('Base', ['Upper']),
    ];
    const state = foldJob(events);
    expect(
      state.status === 'running' &&
        machineOf(state, target(1, 'service').machineUid).dependents[
          'service:upper'
        ]?.status,
    ).toBe('failed');
  });

  it('restarts a stopped dependency and its dependents separately', () => {
    // Base is not running, so its restart is not planned and does not
    // cover Upper.
    const stoppedBase = service('Base', 'stopped', [
      { name: 'Upper', state: 'running' },
    ]);
    const events = [
      ...start([stoppedBase, upper]),
      updated('Base'),
      updated('Upper'),
    ];
    expect(names(events)).toEqual(['skip Base not-running', 'restart Upper']);
  });
});

describe('plan: tasks', () => {
  it('updates a task whose logon type is interactive-token-or-password', () => {
    const events = [
      scheduled([target(1, 'task')]),
      passwordChanged(2),
      found(1, [
        task('\\A', 'interactive-token-or-password'),
        task('\\B', 's4u'),
      ]),
    ];
    expect(names(events)).toEqual(['update \\A']);
  });
});
