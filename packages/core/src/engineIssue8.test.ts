// Pre-flight, deferred restarts, retry and the canary, through the engine
// over the fake fleet of test/engine.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  accessDenied,
  unreachable,
  type HostCall,
} from '../test/engine/fakeHost.js';
import { runJob, setup, streamOf, summary } from '../test/engine/harness.js';
import {
  allKindsTarget,
  at,
  jobId,
  pool,
  scheduled,
  service,
  task,
  uid,
} from '../test/engine/fixtures.js';
import { createEngine } from './engine.js';
import { jobStream } from './events.js';
import { failure } from './failure.js';
import type { HostError } from './ports.js';
import { createMemoryEventStore } from './memoryStore.js';
import { fixedClock } from './clock.js';

const logonFailed: HostError = {
  _tag: 'OperationFailed',
  failure: failure(
    'ERROR_SERVICE_LOGON_FAILED',
    'the service did not start due to a logon failure',
    { windowsCode: 1069 },
  ),
};

const lastStatus = async (store: Parameters<typeof streamOf>[0]) =>
  (await streamOf(store)).at(-1)?.data as {
    status: string;
    counts: Record<string, number>;
  };

const reopen = (purpose: 'restart' | 'retry') => ({
  type: 'ReopenJob' as const,
  jobId,
  purpose,
  by: 'tester',
  at,
});

describe('pre-flight', () => {
  const fleet = { 1: [service('Web')], 2: [service('Api')] };

  const withPreflight = async (fault?: (c: HostCall) => unknown) => {
    const ctx = await setup({
      fleet,
      ...(fault === undefined
        ? {}
        : { faults: fault as (c: HostCall) => undefined }),
    });
    const store = createMemoryEventStore({ clock: fixedClock(at) });
    await store.append(
      jobStream(jobId),
      [
        scheduled([allKindsTarget(1), allKindsTarget(2)], {
          external: false,
          restart: true,
          preflight: true,
        }),
      ],
      'no-stream',
    );

    return { ...ctx, store };
  };

  it('surveys every machine before the password changes, then rotates', async () => {
    const { store, rotator, deps } = await withPreflight();
    const { error } = await runJob(deps({ store }));
    expect(error).toBeUndefined();
    const types = summary(await streamOf(store));
    expect(types.slice(0, 3)).toEqual([
      'RotationScheduled',
      'PreflightPassed',
      'PasswordChanged',
    ]);
    expect(rotator.calls).toHaveLength(1);
    expect(await lastStatus(store)).toMatchObject({ status: 'finished' });
  });

  it('changes nothing when one machine fails, and says which and why', async () => {
    const { store, rotator, host, deps } = await withPreflight((c) =>
      c.machineUid === uid(2) ? unreachable : undefined,
    );
    await runJob(deps({ store }));
    const stream = await streamOf(store);
    expect(summary(stream)).toEqual([
      'RotationScheduled',
      'PreflightFailed',
      'JobFinished',
    ]);
    expect(stream[1]?.data).toMatchObject({
      failures: [
        {
          machineUid: uid(2),
          step: 'enumerate',
          error: { code: 'Unreachable' },
        },
      ],
    });
    expect(rotator.calls).toEqual([]);
    expect(host.done.filter((d) => !d.startsWith('enumerate'))).toEqual([]);
    expect(await lastStatus(store)).toMatchObject({
      status: 'failed',
      counts: { machinesFailed: 1 },
    });
  });
});

describe('deferred restarts', () => {
  it('sets every password, defers restarts, and restarts later only what ran', async () => {
    const { store, host, deps } = await setup({
      fleet: {
        1: [service('Web'), service('Batch', 'stopped'), task('\\T')],
        2: [pool('Pool')],
      },
      restart: false,
    });
    await runJob(deps());
    expect(host.done.filter((d) => d.startsWith('restart'))).toEqual([]);
    expect(await lastStatus(store)).toMatchObject({ status: 'finished' });

    const engine = createEngine(deps());
    expect(await engine.reopen(reopen('restart'))).toEqual(E.right(undefined));
    await runJob(deps());
    const after = summary(await streamOf(store));
    const tail = after.slice(after.lastIndexOf('JobReopened'));
    expect(tail[0]).toBe('JobReopened');
    expect(tail.at(-1)).toBe('JobFinished');
    expect(tail.slice(1, -1).sort()).toEqual([
      'AppPoolRecycled Pool',
      'ServiceRestarted Web',
    ]);
    expect(host.startedStopped).toEqual([]);
    expect(await lastStatus(store)).toMatchObject({
      status: 'finished',
      counts: { restarted: 1, recycled: 1 },
    });
    // Nothing is left to restart: a second restart is refused.
    const again = await createEngine(deps()).reopen(reopen('restart'));
    expect(E.isLeft(again) && again.left._tag).toBe('NothingToDo');
  });
});

describe('retry', () => {
  it('does again only what failed, with the job password', async () => {
    let broken = true;
    const { store, host, rotator, deps } = await setup({
      fleet: { 1: [service('Web'), service('Api')], 2: [service('Db')] },
      faults: (c) =>
        broken && c.machineUid === uid(2)
          ? unreachable
          : broken && c.op === 'setCredential' && c.name === 'Api'
            ? accessDenied
            : undefined,
    });
    await runJob(deps());
    expect(await lastStatus(store)).toMatchObject({
      status: 'finished-with-errors',
    });
    const password = rotator.password();
    const before = host.done.length;
    broken = false;
    const engine = createEngine(deps());
    expect(await engine.reopen(reopen('retry'))).toEqual(E.right(undefined));
    await runJob(deps());
    const redone = host.done.slice(before);
    expect(redone).toEqual(
      expect.arrayContaining([
        `setCredential ${uid(1)} Api`,
        `restartService ${uid(1)} Api`,
        `enumerate ${uid(2)}`,
        `setCredential ${uid(2)} Db`,
      ]),
    );
    expect(redone).not.toContain(`setCredential ${uid(1)} Web`);
    expect(rotator.calls).toHaveLength(1);
    expect(host.stored(uid(2), service('Db'))).toBe(password);
    expect(await lastStatus(store)).toMatchObject({
      status: 'finished',
      counts: { machines: 2, machinesFailed: 0, failed: 0, updated: 3 },
    });
    const again = await createEngine(deps()).reopen(reopen('retry'));
    expect(E.isLeft(again) && again.left._tag).toBe('NothingToDo');
  });

  it('refuses an unknown job, a running one and a superseded password', async () => {
    const { deps, secrets } = await setup({ fleet: { 1: [service('Web')] } });
    const engine = createEngine(deps());
    const unknown = await engine.reopen({ ...reopen('retry'), jobId: uid(9) });
    expect(E.isLeft(unknown) && unknown.left._tag).toBe('JobNotFound');
    const running = await engine.reopen(reopen('retry'));
    expect(E.isLeft(running) && running.left._tag).toBe('JobStillRunning');
    await runJob(deps());
    const { Secret } = await import('./secret.js');
    const staged = await secrets.stage(
      (await import('../test/engine/fixtures.js')).userUid,
      Secret.of('newer'),
      'other-job',
    );
    if (E.isRight(staged)) {
      await secrets.promote(
        (await import('../test/engine/fixtures.js')).userUid,
        staged.right.version,
      );
    }
    const superseded = await engine.reopen(reopen('restart'));
    expect(E.isLeft(superseded) && superseded.left._tag).toBe(
      'PasswordSuperseded',
    );
  });
});

describe('canary restarts', () => {
  const fleet = {
    1: [service('A1'), service('A2')],
    2: [service('B1'), service('B2')],
    3: [service('C1')],
  };

  it('halts every other restart when the canary cannot log on, and resumes them', async () => {
    let replicated = false;
    const attempts: string[] = [];
    const { store, deps } = await setup({
      fleet,
      faults: (c) => {
        if (c.op !== 'restartService') {
          return undefined;
        }
        attempts.push(`${c.machineUid} ${c.name ?? ''}`);

        return replicated ? undefined : logonFailed;
      },
    });
    await runJob(deps());
    const stream = await streamOf(store);
    expect(attempts).toHaveLength(1);
    expect(
      stream.filter((e) => e.type === 'ServiceRestartHalted'),
    ).toHaveLength(4);
    expect(await lastStatus(store)).toMatchObject({
      status: 'finished-with-errors',
      counts: { updated: 5, failed: 1, skipped: 4, restarted: 0 },
    });

    replicated = true;
    expect(await createEngine(deps()).reopen(reopen('restart'))).toEqual(
      E.right(undefined),
    );
    await runJob(deps());
    expect(attempts).toHaveLength(6);
    expect(await lastStatus(store)).toMatchObject({
      status: 'finished',
      counts: { restarted: 5, failed: 0, skipped: 0 },
    });
  });

  it('after a good canary, never causes more failed logons than the budget', async () => {
    let restarts = 0;
    let logonFailures = 0;
    const { store, deps } = await setup({
      fleet,
      faults: (c) => {
        if (c.op !== 'restartService') {
          return undefined;
        }
        restarts++;
        if (restarts === 1) {
          return undefined;
        }
        logonFailures++;

        return logonFailed;
      },
      deps: { logonFailureBudget: 2, lockoutThreshold: 5 },
    });
    await runJob(deps());
    expect(logonFailures).toBe(2);
    const halted = (await streamOf(store)).filter(
      (e) => e.type === 'ServiceRestartHalted',
    );
    expect(halted).toHaveLength(2);
    expect(halted[0]?.data).toMatchObject({ failedLogons: 2, budget: 2 });
  });

  it('does not halt on a failure that is not a logon failure', async () => {
    const { store, deps } = await setup({
      fleet,
      faults: (c) =>
        c.op === 'restartService' && c.name === 'A1' ? accessDenied : undefined,
      deps: { parallel: 1 },
    });
    await runJob(deps());
    expect(await lastStatus(store)).toMatchObject({
      counts: { restarted: 4, failed: 1, skipped: 0 },
    });
  });

  it('refuses a budget that reaches the lockout threshold', async () => {
    const { deps } = await setup({ fleet });
    expect(() =>
      createEngine(deps({ logonFailureBudget: 3, lockoutThreshold: 3 })),
    ).toThrow(RangeError);
  });
});
