import {
  createMemoryEventStore,
  jobStream,
  testUid,
  type EventStore,
  type JobEvent,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { claimJob, type ClaimOptions } from './claimJob.js';

const jobId = testUid('job1');
const gatewayUid = testUid('gw1');
const t0 = Date.parse('2026-12-03T10:00:00.000Z');

const scheduled: JobEvent = {
  type: 'RotationScheduled',
  data: {
    jobId,
    gatewayUid,
    userUid: testUid('u1'),
    targets: [{ machineUid: testUid('m1'), kinds: ['service'] }],
    options: { external: false, restart: true },
    by: 'test',
    at: new Date(t0).toISOString(),
  },
};

const finished: JobEvent = {
  type: 'JobFinished',
  data: {
    jobId,
    status: 'finished',
    counts: {
      machines: 1,
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
    at: new Date(t0).toISOString(),
  },
};

const setUp = async (): Promise<{
  store: EventStore;
  clock: { now: () => Date; set: (ms: number) => void };
  options: (processId: string) => ClaimOptions;
}> => {
  const store = createMemoryEventStore();
  await store.append(jobStream(jobId), [scheduled], 'no-stream');
  let now = t0;
  const clock = { now: () => new Date(now), set: (ms: number) => (now = ms) };

  return {
    store,
    clock,
    options: (processId) => ({
      store,
      jobId,
      gatewayUid,
      processId,
      leaseMs: 30_000,
      clock,
    }),
  };
};

const types = async (store: EventStore) => {
  const out: string[] = [];
  for await (const e of store.readStream(jobStream(jobId))) {
    out.push(e.type);
  }

  return out;
};

describe('claimJob', () => {
  it('of two processes racing for a job, exactly one wins', async () => {
    const { store, options } = await setUp();
    const results = await Promise.all([
      claimJob(options('a')),
      claimJob(options('b')),
    ]);

    expect(results.filter(E.isRight)).toHaveLength(1);
    const lost = results.find(E.isLeft);
    expect(lost?.left._tag).toMatch(/ClaimLost|NotClaimable/);
    expect(await types(store)).toEqual(['RotationScheduled', 'JobClaimed']);
  });

  it('refuses a live claim, and takes the job once the lease ran out', async () => {
    const { store, clock, options } = await setUp();
    const first = await claimJob(options('a'));
    expect(E.isRight(first)).toBe(true);

    clock.set(t0 + 29_999);
    const early = await claimJob(options('b'));
    expect(early).toEqual(
      E.left({ _tag: 'NotClaimable', jobId, reason: 'claimed' }),
    );

    clock.set(t0 + 30_000);
    const late = await claimJob(options('b'));
    expect(E.isRight(late)).toBe(true);
    expect(await types(store)).toEqual([
      'RotationScheduled',
      'JobClaimed',
      'JobClaimed',
    ]);
  });

  it('a renewal extends the lease', async () => {
    const { clock, options } = await setUp();
    const first = await claimJob(options('a'));
    if (E.isLeft(first)) {
      throw new Error('not claimed');
    }
    clock.set(t0 + 20_000);
    expect(E.isRight(await first.right.renew())).toBe(true);
    expect(first.right.leaseUntil()).toBe(t0 + 50_000);

    clock.set(t0 + 40_000);
    const other = await claimJob(options('b'));
    expect(E.isLeft(other) && other.left._tag).toBe('NotClaimable');
  });

  it('a released claim may be taken at once; a finished job never', async () => {
    const { store, options } = await setUp();
    const first = await claimJob(options('a'));
    if (E.isLeft(first)) {
      throw new Error('not claimed');
    }
    expect(E.isRight(await first.right.release())).toBe(true);
    expect(first.right.lost()).toBe(true);
    const second = await claimJob(options('b'));
    expect(E.isRight(second)).toBe(true);

    await store.append(jobStream(jobId), [finished], 'any');
    const third = await claimJob({ ...options('c'), leaseMs: 1 });
    expect(third).toEqual(
      E.left({ _tag: 'NotClaimable', jobId, reason: 'not-open' }),
    );
  });

  it('refuses a job of another gateway', async () => {
    const { options } = await setUp();
    const other = await claimJob({
      ...options('a'),
      gatewayUid: testUid('gw2'),
    });

    expect(other).toEqual(
      E.left({ _tag: 'NotClaimable', jobId, reason: 'other-gateway' }),
    );
  });

  it("the engine's appends pass the process's own renewals", async () => {
    const { store, options } = await setUp();
    const claimed = await claimJob(options('a'));
    if (E.isLeft(claimed)) {
      throw new Error('not claimed');
    }
    const view = claimed.right.store;
    // The engine read the stream up to the claim (revision 1).
    await claimed.right.renew();
    await claimed.right.renew();
    const written = await view.append(jobStream(jobId), [finished], 1);

    expect(E.isRight(written) && written.right.revision).toBe(4);
    expect(await types(store)).toEqual([
      'RotationScheduled',
      'JobClaimed',
      'JobClaimRenewed',
      'JobClaimRenewed',
      'JobFinished',
    ]);
  });

  it('after another writer took the job, nothing more is written', async () => {
    const { store, options } = await setUp();
    const claimed = await claimJob(options('a'));
    if (E.isLeft(claimed)) {
      throw new Error('not claimed');
    }
    // The lease ran out and process b claimed the job.
    await store.append(
      jobStream(jobId),
      [
        {
          type: 'JobClaimed',
          data: {
            jobId,
            gatewayUid,
            processId: 'b',
            leaseUntil: new Date(t0 + 90_000).toISOString(),
            at: new Date(t0 + 60_000).toISOString(),
          },
        },
      ],
      1,
    );
    const renewed = await claimed.right.renew();
    expect(renewed).toEqual(E.left({ _tag: 'ClaimLost', jobId }));
    const written = await claimed.right.store.append(
      jobStream(jobId),
      [finished],
      1,
    );

    expect(E.isLeft(written) && written.left._tag).toBe(
      'WrongExpectedRevision',
    );
    expect(claimed.right.lost()).toBe(true);
    expect(await types(store)).toEqual([
      'RotationScheduled',
      'JobClaimed',
      'JobClaimed',
    ]);
  });
});
