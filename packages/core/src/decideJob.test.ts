import * as E from 'fp-ts/lib/Either.js';
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
  userUid,
} from '../test/engine/fixtures.js';
import { decideReopen, describeReopenError } from './decideJob.js';
import type { JobEvent } from './events.js';
import { foldJob } from './jobStateEvolve.js';
import { plan } from './plan.js';

const command = (purpose: 'restart' | 'retry') => ({
  type: 'ReopenJob' as const,
  jobId,
  purpose,
  by: 'tester',
  at,
});

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
      restarted: 0,
      recycled: 0,
      skipped: 1,
      failed: 0,
    },
    durationMs: 1,
    message: '',
    at,
  },
};

const deferredJob = foldJob([
  scheduled([allKindsTarget(1)], { external: false, restart: false }),
  passwordChanged(2),
  found(1, [service('Web')]),
  {
    type: 'ServiceCredentialUpdated',
    data: { ...onDependent(1, 'Web'), secretVersion: 2 },
  },
  {
    type: 'ServiceRestartSkipped',
    data: { ...onDependent(1, 'Web'), reason: 'deferred' },
  },
  finished,
]);

describe('decideReopen', () => {
  it('reopens a job with deferred restarts, and the plan restarts them', () => {
    const decided = decideReopen(command('restart'), deferredJob, {
      expected: 5,
      currentVersion: 2,
    });
    expect(E.isRight(decided)).toBe(true);
    if (E.isRight(decided)) {
      expect(decided.right.expected).toBe(5);
      const event = decided.right.events[0] as JobEvent;
      const reopened = foldJob([
        scheduled([allKindsTarget(1)], { external: false, restart: false }),
        passwordChanged(2),
        found(1, [service('Web')]),
        {
          type: 'ServiceCredentialUpdated',
          data: { ...onDependent(1, 'Web'), secretVersion: 2 },
        },
        {
          type: 'ServiceRestartSkipped',
          data: { ...onDependent(1, 'Web'), reason: 'deferred' },
        },
        finished,
        event,
      ]);
      expect(plan(reopened).map((a) => a.type)).toEqual(['RestartService']);
    }
  });

  it('refuses, in order, with a message for each', () => {
    const refusals = [
      decideReopen(command('retry'), foldJob([]), { expected: 'no-stream' }),
      decideReopen(command('retry'), foldJob([scheduled([])]), { expected: 0 }),
      decideReopen(
        command('retry'),
        foldJob([
          scheduled([]),
          {
            type: 'PasswordChangeFailed',
            data: {
              jobId,
              error: { code: 'X', message: 'x', transient: false },
              at,
            },
          },
          finished,
        ]),
        { expected: 2 },
      ),
      decideReopen(command('restart'), deferredJob, {
        expected: 5,
        activeJob: { jobId: uid(99), userUid, at },
      }),
      decideReopen(command('restart'), deferredJob, {
        expected: 5,
        currentVersion: 3,
      }),
      decideReopen(command('retry'), deferredJob, { expected: 5 }),
    ];
    expect(refusals.map((r) => (E.isLeft(r) ? r.left._tag : 'ok'))).toEqual([
      'JobNotFound',
      'JobStillRunning',
      'PasswordNotChanged',
      'UserBusy',
      'PasswordSuperseded',
      'NothingToDo',
    ]);
    for (const r of refusals) {
      if (E.isLeft(r)) {
        expect(describeReopenError(r.left)).toContain(jobId);
      }
    }
  });
});
