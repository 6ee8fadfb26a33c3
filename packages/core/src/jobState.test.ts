import { describe, expect, it } from 'vitest';
import {
  allKindsTarget,
  at,
  found,
  jobId,
  onDependent,
  passwordChanged,
  scheduled,
  service,
  uid,
} from '../test/engine/fixtures.js';
import type { JobEvent } from './events.js';
import { failure } from './failure.js';
import { initialJobState } from './jobState.js';
import { evolveJob, foldJob } from './jobStateEvolve.js';

const finished: JobEvent = {
  type: 'JobFinished',
  data: {
    jobId,
    status: 'finished',
    counts: {
      machines: 1,
      machinesFailed: 0,
      dependents: 1,
      updated: 1,
      restarted: 1,
      recycled: 0,
      skipped: 0,
      failed: 0,
    },
    durationMs: 5,
    message: 'ok',
    at,
  },
};

describe('evolveJob', () => {
  it('starts unscheduled and ignores anything before the schedule', () => {
    expect(initialJobState).toEqual({ status: 'unscheduled' });
    expect(evolveJob(initialJobState, passwordChanged())).toBe(initialJobState);
  });

  it('keeps the schedule, then the password version', () => {
    const s = foldJob([scheduled([allKindsTarget(1)]), passwordChanged(4)]);
    expect(s).toMatchObject({
      status: 'running',
      job: { jobId, targets: [allKindsTarget(1)] },
      password: { status: 'changed', secretVersion: 4, by: 'engine' },
      machines: {},
    });
  });

  it('records a password failure', () => {
    const error = failure('LogonRefused', 'refused');
    const s = foldJob([
      scheduled([]),
      { type: 'PasswordChangeFailed', data: { jobId, error, at } },
    ]);
    expect(s).toMatchObject({
      status: 'running',
      password: { status: 'failed', error },
    });
  });

  it('tracks each dependent by case-insensitive name', () => {
    const s = foldJob([
      scheduled([allKindsTarget(1)]),
      passwordChanged(),
      found(1, [service('Web')]),
      {
        type: 'ServiceCredentialUpdated',
        data: { ...onDependent(1, 'web'), secretVersion: 2 },
      },
      {
        type: 'ServiceRestarted',
        data: { ...onDependent(1, 'WEB'), dependentsRestarted: ['Child'] },
      },
    ]);
    expect(s.status === 'running' && s.machines[uid(1)]).toEqual({
      snapshot: {
        host: { computerName: 'HOST1', iisInstalled: true },
        dependents: [service('Web')],
      },
      dependents: {
        'service:web': { status: 'restarted', dependentsRestarted: ['Child'] },
      },
    });
  });

  it('keeps the first snapshot and the first machine failure', () => {
    const failed = (code: string): JobEvent => ({
      type: 'MachineFailed',
      data: {
        jobId,
        machineUid: uid(1),
        step: 'enumerate',
        error: failure(code, code),
        at,
      },
    });
    const s = foldJob([
      scheduled([allKindsTarget(1)]),
      passwordChanged(),
      found(1, [service('Web')]),
      found(1, [service('Web', 'stopped')]),
      failed('First'),
      failed('Second'),
    ]);
    const m = s.status === 'running' ? s.machines[uid(1)] : undefined;
    expect(m?.snapshot?.dependents).toEqual([service('Web')]);
    expect(m?.failed?.error.code).toBe('First');
  });

  it('absorbs every event once finished', () => {
    const s = foldJob([scheduled([]), passwordChanged(), finished]);
    expect(s.status).toBe('finished');
    for (const e of [
      scheduled([]),
      passwordChanged(9),
      found(1, []),
      finished,
    ]) {
      expect(evolveJob(s, e)).toBe(s);
    }
  });

  it('ignores a second schedule', () => {
    const first = foldJob([scheduled([allKindsTarget(1)])]);
    expect(evolveJob(first, scheduled([allKindsTarget(2)]))).toBe(first);
  });
});
