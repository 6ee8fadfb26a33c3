import { describe, expect, it } from 'vitest';
import {
  allKindsTarget,
  at,
  found,
  jobId,
  onDependent,
  passwordChanged,
  pool,
  scheduled,
  service,
  task,
  uid,
  userUid,
} from '../test/engine/fixtures.js';
import type { JobEvent } from './events.js';
import { failure } from './failure.js';
import { foldJob } from './jobStateEvolve.js';
import { plan, planMachine } from './plan.js';
import { isMachineAction } from './planAction.js';

const types = (events: ReadonlyArray<JobEvent>) =>
  plan(foldJob(events)).map((a) =>
    a.type === 'UpdateCredential'
      ? `update ${a.dependent.name}`
      : a.type === 'RestartService'
        ? `restart ${a.service.name}`
        : a.type === 'SkipRestart'
          ? `skip ${a.service.name} ${a.reason}`
          : a.type === 'RecycleAppPool'
            ? `recycle ${a.pool.name}`
            : a.type,
  );

const fleet = [
  service('Web'),
  service('Batch', 'stopped'),
  service('Paused', 'paused'),
  task('\\Nightly'),
  task('\\S4U', 's4u'),
  pool('AppPool'),
  pool('ColdPool', 'stopped'),
  pool('Builtin', 'started', 'application-pool-identity'),
];

describe('plan', () => {
  it('has nothing to do for a job never scheduled', () => {
    expect(plan(foldJob([]))).toEqual([]);
  });

  it('changes the password first, and nothing else', () => {
    expect(plan(foldJob([scheduled([allKindsTarget(1)])]))).toEqual([
      { type: 'ChangePassword', userUid },
    ]);
  });

  it('adopts the password of an external job instead of changing it', () => {
    const events = [
      scheduled([allKindsTarget(1)], { external: true, restart: true }),
    ];
    expect(plan(foldJob(events))).toEqual([
      { type: 'AdoptExternalPassword', userUid },
    ]);
  });

  it('enumerates every machine once the password changed', () => {
    const events = [
      scheduled([allKindsTarget(1), allKindsTarget(2)]),
      passwordChanged(),
    ];
    expect(plan(foldJob(events))).toEqual([
      { type: 'Enumerate', machineUid: uid(1), kinds: allKindsTarget(1).kinds },
      { type: 'Enumerate', machineUid: uid(2), kinds: allKindsTarget(2).kinds },
    ]);
  });

  it('updates what holds the password, then restarts only what ran', () => {
    const events = [
      scheduled([allKindsTarget(1)]),
      passwordChanged(7),
      found(1, fleet),
    ];
    expect(types(events)).toEqual([
      'update Web',
      'update Batch',
      'update Paused',
      'update \\Nightly',
      'update AppPool',
      'update ColdPool',
      'restart Web',
      'skip Batch not-running',
      'skip Paused not-running',
      'recycle AppPool',
    ]);
    const update = plan(foldJob(events))[0];
    expect(update).toMatchObject({ secretVersion: 7, machineUid: uid(1) });
  });

  it('keeps to the kinds mapped for the machine', () => {
    const events = [
      scheduled([{ machineUid: uid(1), kinds: ['task'] }]),
      passwordChanged(),
      found(1, fleet),
    ];
    expect(types(events)).toEqual(['update \\Nightly']);
  });

  it('defers restarts and recycles when the job does not restart', () => {
    const events = [
      scheduled([allKindsTarget(1)], { external: false, restart: false }),
      passwordChanged(),
      found(1, [service('Web'), service('Batch', 'stopped'), pool('AppPool')]),
    ];
    expect(types(events)).toEqual([
      'update Web',
      'update Batch',
      'update AppPool',
      'skip Web deferred',
      'skip Batch not-running',
    ]);
  });

  it('does not plan again what is recorded', () => {
    const events: JobEvent[] = [
      scheduled([allKindsTarget(1)]),
      passwordChanged(),
      found(1, [service('Web'), service('Api'), service('Old', 'stopped')]),
      {
        type: 'ServiceCredentialUpdated',
        data: { ...onDependent(1, 'WEB'), secretVersion: 2 },
      },
      {
        type: 'DependentFailed',
        data: {
          ...onDependent(1, 'Api'),
          kind: 'service',
          step: 'update',
          error: failure('ERROR_ACCESS_DENIED', 'denied', { windowsCode: 5 }),
        },
      },
    ];
    // Api failed its update, so it is not restarted; Web (recorded under
    // another spelling) is not updated again.
    expect(types(events)).toEqual([
      'update Old',
      'restart Web',
      'skip Old not-running',
    ]);
  });

  it('abandons a failed machine and goes on with the others', () => {
    const events: JobEvent[] = [
      scheduled([allKindsTarget(1), allKindsTarget(2)]),
      passwordChanged(),
      found(1, [service('Web')]),
      {
        type: 'MachineFailed',
        data: {
          jobId,
          machineUid: uid(1),
          step: 'update',
          error: failure('Unreachable', 'no route', { transient: true }),
          at,
        },
      },
    ];
    expect(plan(foldJob(events))).toEqual([
      { type: 'Enumerate', machineUid: uid(2), kinds: allKindsTarget(2).kinds },
    ]);
  });

  it('finishes with errors and counts once nothing is left', () => {
    const events: JobEvent[] = [
      scheduled([allKindsTarget(1), allKindsTarget(2)]),
      passwordChanged(),
      found(1, [service('Web'), service('Old', 'stopped'), pool('P')]),
      {
        type: 'ServiceCredentialUpdated',
        data: { ...onDependent(1, 'Web'), secretVersion: 2 },
      },
      {
        type: 'ServiceCredentialUpdated',
        data: { ...onDependent(1, 'Old'), secretVersion: 2 },
      },
      {
        type: 'AppPoolCredentialUpdated',
        data: { ...onDependent(1, 'P'), secretVersion: 2 },
      },
      {
        type: 'ServiceRestarted',
        data: { ...onDependent(1, 'Web'), dependentsRestarted: [] },
      },
      {
        type: 'ServiceRestartSkipped',
        data: { ...onDependent(1, 'Old'), reason: 'not-running' },
      },
      {
        type: 'DependentFailed',
        data: {
          ...onDependent(1, 'P'),
          kind: 'iis',
          step: 'recycle',
          error: failure('ERROR_X', 'no'),
        },
      },
      {
        type: 'MachineFailed',
        data: {
          jobId,
          machineUid: uid(2),
          step: 'enumerate',
          error: failure('Unreachable', 'no route', { transient: true }),
          at,
        },
      },
    ];
    expect(plan(foldJob(events))).toEqual([
      {
        type: 'Finish',
        status: 'finished-with-errors',
        counts: {
          machines: 2,
          machinesFailed: 1,
          dependents: 3,
          updated: 3,
          restarted: 1,
          recycled: 0,
          skipped: 1,
          failed: 1,
        },
        message:
          '1/2 machines, 3 dependents: 3 updated, 1 restarted, ' +
          '0 recycled, 1 skipped, 1 failed',
      },
    ]);
  });

  it('only finishes, failed, when the password could not be changed', () => {
    const events: JobEvent[] = [
      scheduled([allKindsTarget(1)]),
      {
        type: 'PasswordChangeFailed',
        data: { jobId, error: failure('LogonRefused', 'refused'), at },
      },
    ];
    expect(plan(foldJob(events))).toEqual([
      expect.objectContaining({
        type: 'Finish',
        status: 'failed',
        counts: expect.objectContaining({ updated: 0, machines: 1 }),
      }),
    ]);
  });

  it('works on a machine listed twice once, with both kinds', () => {
    const events = [
      scheduled([
        { machineUid: uid(1), kinds: ['service'] },
        { machineUid: uid(1), kinds: ['task'] },
      ]),
      passwordChanged(),
      found(1, [service('Web', 'stopped'), task('\\T')]),
    ];
    expect(types(events)).toEqual([
      'update Web',
      'update \\T',
      'skip Web not-running',
    ]);
  });

  it('has nothing left once finished', () => {
    const finish = plan(foldJob([scheduled([]), passwordChanged()]))[0];
    expect(finish).toMatchObject({ type: 'Finish', status: 'finished' });
    const events: JobEvent[] = [
      scheduled([]),
      passwordChanged(),
      {
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
      },
    ];
    expect(plan(foldJob(events))).toEqual([]);
  });

  it('plans one machine as the whole plan lists it', () => {
    const state = foldJob([
      scheduled([allKindsTarget(1), allKindsTarget(2)]),
      passwordChanged(),
      found(1, fleet),
    ]);
    for (const n of [1, 2, 3]) {
      expect(planMachine(state, uid(n))).toEqual(
        plan(state).filter(
          (a) => isMachineAction(a) && a.machineUid === uid(n),
        ),
      );
    }
    expect(
      planMachine(foldJob([scheduled([allKindsTarget(1)])]), uid(1)),
    ).toEqual([]);
  });
});
