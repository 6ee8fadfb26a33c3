import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accessDenied,
  logonRefused,
  unreachable,
} from '../test/engine/fakeHost.js';
import {
  crashingStore,
  runJob,
  setup,
  streamOf,
  summary,
} from '../test/engine/harness.js';
import {
  jobId,
  pool,
  service,
  task,
  uid,
  userUid,
} from '../test/engine/fixtures.js';
import { createEngine } from './engine.js';
import { isEngineError } from './engineError.js';
import { backoffDelay } from './engineStep.js';
import { jobStream } from './events.js';
import { failure } from './failure.js';
import { Secret } from './secret.js';

const fleet = {
  1: [service('Web'), service('Batch', 'stopped'), task('\\Nightly')],
  2: [pool('AppPool'), service('Api')],
};

const finished = async (store: Parameters<typeof streamOf>[0]) =>
  (await streamOf(store)).at(-1)?.data as {
    status: string;
    counts: Record<string, number>;
  };

describe('engine', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rotates, updates every dependent and restarts only what ran', async () => {
    const { store, host, rotator, secrets, deps } = await setup({
      fleet,
      deps: { parallel: 1 },
    });
    const { emitted, error } = await runJob(deps());
    expect(error).toBeUndefined();
    const stream = await streamOf(store);
    expect(summary(stream)).toEqual([
      'RotationScheduled',
      'PasswordChanged',
      'DependentsFound',
      'ServiceCredentialUpdated Web',
      'ServiceCredentialUpdated Batch',
      'TaskCredentialUpdated \\Nightly',
      'ServiceRestarted Web',
      'ServiceRestartSkipped Batch',
      'DependentsFound',
      'AppPoolCredentialUpdated AppPool',
      'ServiceCredentialUpdated Api',
      'AppPoolRecycled AppPool',
      'ServiceRestarted Api',
      'JobFinished',
    ]);
    expect(emitted.map((e) => e.revision)).toEqual(
      stream.slice(1).map((e) => e.revision),
    );
    const password = rotator.password();
    expect(password).not.toBe('old');
    for (const [n, deps] of Object.entries(fleet)) {
      for (const d of deps) {
        expect(host.stored(uid(Number(n)), d)).toBe(password);
      }
    }
    expect(host.startedStopped).toEqual([]);
    expect(host.running(uid(1), service('Batch'))).toBe(false);
    expect(host.closed()).toBe(1);
    const current = await secrets.current(userUid);
    expect(E.isRight(current) && current.right.password.reveal()).toBe(
      password,
    );
    expect(await finished(store)).toMatchObject({
      status: 'finished',
      counts: { machines: 2, dependents: 5, updated: 5, restarted: 2 },
    });
  });

  it('lets other machines finish when one is unreachable', async () => {
    const { store, host, deps } = await setup({
      fleet,
      faults: (c) => (c.machineUid === uid(1) ? unreachable : undefined),
    });
    await runJob(deps());
    const stream = await streamOf(store);
    const failedMachine = stream.find((e) => e.type === 'MachineFailed');
    expect(failedMachine?.data).toMatchObject({
      machineUid: uid(1),
      step: 'enumerate',
      error: { code: 'Unreachable', transient: true },
    });
    expect(host.done.filter((d) => d.includes(uid(1)))).toEqual([]);
    expect(host.done).toContain(`restartService ${uid(2)} Api`);
    expect(await finished(store)).toMatchObject({
      status: 'finished-with-errors',
      counts: { machines: 2, machinesFailed: 1, updated: 2, restarted: 1 },
    });
  });

  it('retries transient failures and succeeds', async () => {
    const calls: string[] = [];
    const { store, deps } = await setup({
      fleet: { 1: [service('Web')] },
      faults: (c) => {
        calls.push(`${c.op} ${c.attempt}`);

        return c.op === 'setCredential' && c.attempt < 3
          ? unreachable
          : undefined;
      },
    });
    await runJob(deps());
    expect(calls).toEqual([
      'enumerate 1',
      'setCredential 1',
      'setCredential 2',
      'setCredential 3',
      'restartService 1',
    ]);
    expect(await finished(store)).toMatchObject({ status: 'finished' });
  });

  it('gives up after the configured attempts', async () => {
    let tries = 0;
    const { store, deps } = await setup({
      fleet: { 1: [service('Web')] },
      faults: () => (tries++, unreachable),
      deps: { retry: { attempts: 4, baseDelayMs: 0, maxDelayMs: 0 } },
    });
    await runJob(deps());
    expect(tries).toBe(4);
    expect(await finished(store)).toMatchObject({
      status: 'finished-with-errors',
    });
  });

  it('does not retry permanent failures', async () => {
    const calls: string[] = [];
    const { store, deps } = await setup({
      fleet: { 1: [service('Web'), service('Api')], 2: [service('Db')] },
      faults: (c) => {
        calls.push(`${c.op} ${c.name ?? c.machineUid}`);
        if (c.machineUid === uid(2)) {
          return logonRefused;
        }

        return c.op === 'setCredential' && c.name === 'Web'
          ? accessDenied
          : undefined;
      },
    });
    await runJob(deps());
    const stream = await streamOf(store);
    expect(calls.filter((c) => c.includes('Web'))).toEqual([
      'setCredential Web',
    ]);
    expect(calls.filter((c) => c.includes(uid(2)))).toHaveLength(1);
    // A failed update is never followed by a restart of that service.
    expect(summary(stream)).toContain('DependentFailed Web');
    expect(summary(stream)).not.toContain('ServiceRestarted Web');
    expect(summary(stream)).toContain('ServiceRestarted Api');
    expect(stream.find((e) => e.type === 'MachineFailed')?.data).toMatchObject({
      machineUid: uid(2),
      error: { code: 'LogonRefused' },
    });
    expect(await finished(store)).toMatchObject({
      status: 'finished-with-errors',
      counts: { machinesFailed: 1, failed: 1, updated: 1, restarted: 1 },
    });
  });

  it('times out a step that hangs, in virtual time', async () => {
    vi.useFakeTimers();
    const { store, deps } = await setup({
      fleet: { 1: [service('Web')], 2: [service('Api')] },
      faults: (c) =>
        c.machineUid === uid(1) && c.op === 'enumerate' ? 'hang' : undefined,
      deps: {
        stepTimeoutMs: 60_000,
        retry: { attempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 },
      },
    });
    const done = runJob(deps());
    await vi.advanceTimersByTimeAsync(60_000 + 1_000 + 59_999);
    expect((await streamOf(store)).map((e) => e.type)).not.toContain(
      'MachineFailed',
    );
    await vi.advanceTimersByTimeAsync(1);
    await done;
    const stream = await streamOf(store);
    expect(stream.find((e) => e.type === 'MachineFailed')?.data).toMatchObject({
      machineUid: uid(1),
      error: { code: 'Timeout', transient: true },
    });
    expect(await finished(store)).toMatchObject({
      status: 'finished-with-errors',
      counts: { restarted: 1 },
    });
  });

  it('touches no dependent when the password change fails', async () => {
    const { store, host, secrets, deps } = await setup({
      fleet,
      rotatorFault: () => failure('ConstraintViolation', 'policy refused'),
    });
    const { error } = await runJob(deps());
    expect(error).toBeUndefined();
    expect(summary(await streamOf(store))).toEqual([
      'RotationScheduled',
      'PasswordChangeFailed',
      'JobFinished',
    ]);
    expect(host.done).toEqual([]);
    expect(host.closed()).toBe(1);
    expect(await finished(store)).toMatchObject({ status: 'failed' });
    const current = await secrets.current(userUid);
    expect(E.isRight(current) && current.right.version).toBe(1);
  });

  it('propagates an external password without changing the account', async () => {
    const { store, rotator, host, deps } = await setup({
      fleet: { 1: [service('Web')] },
      external: true,
    });
    await runJob(deps());
    expect(rotator.calls).toEqual([]);
    const stream = await streamOf(store);
    expect(stream[1]?.data).toMatchObject({ by: 'external', secretVersion: 1 });
    expect(host.stored(uid(1), service('Web'))).toBe('old');
    expect(await finished(store)).toMatchObject({ status: 'finished' });
  });

  it('resumes after a crash without doing anything twice', async () => {
    const { store, host, deps } = await setup({ fleet, deps: { parallel: 1 } });
    const first = await runJob(
      deps({ store: crashingStore(store, 5, 'commit') }),
    );
    expect(isEngineError(first.error)).toBe(true);
    expect(first.error).toMatchObject({ failure: { _tag: 'StoreFailed' } });
    expect(host.closed()).toBe(1);
    const before = host.done.length;
    expect(before).toBeGreaterThan(0);
    const second = await runJob(deps());
    expect(second.error).toBeUndefined();
    expect(new Set(host.done).size).toBe(host.done.length);
    expect(summary(await streamOf(store))).toHaveLength(14);
    expect(await finished(store)).toMatchObject({ status: 'finished' });
  });

  it('redoes at most the step whose record was lost', async () => {
    const { store, host, deps } = await setup({ fleet, deps: { parallel: 1 } });
    // The 6th append of the run is Web's restart: done on the host, not
    // recorded.
    await runJob(deps({ store: crashingStore(store, 5, 'refuse') }));
    await runJob(deps());
    const twice = host.done.filter((d, i) => host.done.indexOf(d) !== i);
    expect(twice).toEqual([`restartService ${uid(1)} Web`]);
    const stream = summary(await streamOf(store));
    expect(new Set(stream.filter((s) => s.includes(' '))).size).toBe(
      stream.filter((s) => s.includes(' ')).length,
    );
  });

  it('reuses the password it staged before a crash', async () => {
    const { store, rotator, secrets, deps } = await setup({
      fleet: { 1: [service('Web')] },
    });
    const staged = Secret.of('Staged-Before-Crash-1!');
    const version = await secrets.stage(userUid, staged, jobId);
    await runJob(deps());
    expect(rotator.calls).toEqual(['Staged-Before-Crash-1!']);
    expect((await streamOf(store))[1]?.data).toMatchObject({
      secretVersion: E.isRight(version) ? version.right.version : -1,
    });
    // No fresh password was made, and the staged one became current.
    expect(E.isLeft(await secrets.get(userUid, 3))).toBe(true);
    const current = await secrets.current(userUid);
    expect(E.isRight(current) && current.right.password.reveal()).toBe(
      'Staged-Before-Crash-1!',
    );
  });

  it('keeps the new password when its record was lost', async () => {
    const { store, rotator, secrets, deps } = await setup({
      fleet: { 1: [service('Web')] },
    });
    // The account was changed and the password promoted, but the process
    // died before PasswordChanged was written.
    await runJob(deps({ store: crashingStore(store, 0, 'refuse') }));
    expect(rotator.calls).toHaveLength(1);
    await runJob(deps());
    expect(rotator.calls).toHaveLength(2);
    expect(rotator.calls[1]).toBe(rotator.calls[0]);
    expect(E.isLeft(await secrets.get(userUid, 3))).toBe(true);
    expect(await finished(store)).toMatchObject({ status: 'finished' });
  });

  it('stops when another process writes to the job', async () => {
    const { store, host, deps } = await setup({ fleet, deps: { parallel: 1 } });
    let appends = 0;
    const racing = {
      ...store,
      append: async (...args: Parameters<typeof store.append>) => {
        if (++appends === 3) {
          await store.append(
            jobStream(jobId),
            [{ type: 'DependentsFound', data: {} }],
            'any',
          );
        }

        return store.append(...args);
      },
    };
    const { error } = await runJob(deps({ store: racing }));
    expect(isEngineError(error) && error.failure._tag).toBe('JobTakenOver');
    expect(host.done).toHaveLength(2);
    expect(appends).toBe(3);
  });

  it('errors with JobNotFound for a job never scheduled', async () => {
    const { deps } = await setup({ fleet });
    const run = createEngine(deps()).run(uid(99));
    await expect(lastValueFrom(run.pipe(toArray()))).rejects.toMatchObject({
      _tag: 'EngineError',
      failure: { _tag: 'JobNotFound' },
    });
  });

  it('does nothing for a finished job', async () => {
    const { host, deps } = await setup({ fleet });
    await runJob(deps());
    const done = host.done.length;
    const again = await runJob(deps());
    expect(again).toEqual({ emitted: [] });
    expect(host.done).toHaveLength(done);
  });

  it('never writes the password into an event', async () => {
    const { store, rotator, deps } = await setup({ fleet });
    await runJob(deps());
    const text = JSON.stringify((await streamOf(store)).map((e) => e.data));
    expect(text).not.toContain(rotator.password());
  });
});

describe('backoffDelay', () => {
  it('doubles from the base and stops at the maximum', () => {
    const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 500 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });
});
