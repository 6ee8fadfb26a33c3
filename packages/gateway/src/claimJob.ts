// Over 200 lines: the claim, its store view and its renewals share the
// serialised append and the record of what this process wrote.
import {
  jobStream,
  type AppendResult,
  type Clock,
  type EventStore,
  type ExpectedRevision,
  type JobEvent,
  type NewEvent,
  type StoreError,
  type Uid,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { isClaimable } from './jobWork.js';
import { readJobWork } from './readJobWork.js';

/**
 * Why a claim was not taken, or was lost:
 *
 * - `NotClaimable`: the job is finished, unknown, another gateway's, or
 *   held by a live claim (`reason`);
 * - `ClaimLost`: another writer appended to the job stream first (the race
 *   for the claim, or a takeover after this process's lease ran out);
 * - `StoreFailed`: the store could not be read or written.
 *
 * @category model
 */
export type ClaimError =
  | {
      readonly _tag: 'NotClaimable';
      readonly jobId: string;
      readonly reason: 'not-open' | 'other-gateway' | 'claimed';
    }
  | { readonly _tag: 'ClaimLost'; readonly jobId: string }
  | {
      readonly _tag: 'StoreFailed';
      readonly jobId: string;
      readonly message: string;
    };

/** What {@link claimJob} needs. @category model */
export interface ClaimOptions {
  readonly store: EventStore;
  readonly jobId: Uid;
  readonly gatewayUid: Uid;
  readonly processId: string;
  /** How long a claim or a renewal holds the job. */
  readonly leaseMs: number;
  readonly clock: Clock;
}

/**
 * A job this process holds. `store` is the view of the event store to give
 * the engine: appends to the job stream go through the claim (see
 * {@link claimJob}); everything else passes through, and `close` does
 * nothing.
 *
 * @category model
 */
export interface ClaimedJob {
  readonly jobId: string;
  readonly store: EventStore;
  /** When the lease runs out unless renewed (epoch milliseconds). */
  readonly leaseUntil: () => number;
  /** Whether another writer has taken the job from this process. */
  readonly lost: () => boolean;
  /** Appends `JobClaimRenewed` with a lease of `leaseMs` from now. */
  readonly renew: () => Promise<E.Either<ClaimError, void>>;
  /** Appends `JobClaimReleased`, so another process may claim at once. */
  readonly release: () => Promise<E.Either<ClaimError, void>>;
}

const storeFailed = (jobId: string, e: StoreError): ClaimError =>
  e._tag === 'WrongExpectedRevision'
    ? { _tag: 'ClaimLost', jobId }
    : { _tag: 'StoreFailed', jobId, message: e.message };

/**
 * Claims a job: reads its stream, checks it is claimable (open, scheduled
 * for `gatewayUid`, no live claim), and appends `JobClaimed` with a lease
 * of `leaseMs` at the revision it read, so of several processes racing for
 * the job exactly one wins; the others get `ClaimLost`.
 *
 * The engine appends each outcome at the revision it last wrote, and this
 * process's own renewals land in the same stream. So the returned `store`
 * serialises every append of this process to the job stream, and an
 * engine append whose expected revision is one this process wrote since
 * its claim is sent at the stream's last revision written by this process
 * instead. Any other writer's event makes the next append fail with
 * `WrongExpectedRevision`, so an engine that lost its claim (its lease ran
 * out and another process claimed) stops with `JobTakenOver`, and a
 * process never writes after a takeover.
 *
 * @category effects
 */
export const claimJob = async (
  options: ClaimOptions,
): Promise<E.Either<ClaimError, ClaimedJob>> => {
  const { store, jobId, gatewayUid, processId, leaseMs, clock } = options;
  const read = await readJobWork(store, jobId);
  if (E.isLeft(read)) {
    return E.left({ _tag: 'StoreFailed', jobId, message: read.left.message });
  }
  const work = read.right;
  const now = clock.now().getTime();
  if (!isClaimable(work, gatewayUid, now)) {
    return E.left({
      _tag: 'NotClaimable',
      jobId,
      reason: !work.open
        ? 'not-open'
        : work.gatewayUid !== gatewayUid
          ? 'other-gateway'
          : 'claimed',
    });
  }
  const stream = jobStream(jobId);
  const claimed: JobEvent = {
    type: 'JobClaimed',
    data: {
      jobId,
      gatewayUid,
      processId,
      leaseUntil: new Date(now + leaseMs).toISOString(),
      at: new Date(now).toISOString(),
    },
  };
  const appended = await store.append(
    stream,
    [claimed],
    work.revision ?? 'no-stream',
  );
  if (E.isLeft(appended)) {
    return E.left(storeFailed(jobId, appended.left));
  }

  return E.right(
    holdClaim({
      ...options,
      stream,
      revision: appended.right.revision,
      leaseUntil: now + leaseMs,
    }),
  );
};

interface Held extends ClaimOptions {
  readonly stream: string;
  readonly revision: number;
  readonly leaseUntil: number;
}

const holdClaim = (held: Held): ClaimedJob => {
  const { store, stream, jobId, gatewayUid, processId, leaseMs, clock } = held;
  const ownFrom = held.revision;
  let ownTail = held.revision;
  let leaseUntil = held.leaseUntil;
  let lostTo: StoreError | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  // Every append of this process to the job stream, one at a time. `pick`
  // chooses the expected revision once the appends before it are done.
  const serial = (
    events: ReadonlyArray<NewEvent>,
    pick: (tail: number) => ExpectedRevision,
  ): Promise<E.Either<StoreError, AppendResult>> => {
    const run = async (): Promise<E.Either<StoreError, AppendResult>> => {
      if (lostTo !== undefined) {
        return E.left(lostTo);
      }
      const result = await store.append(stream, events, pick(ownTail));
      if (E.isRight(result)) {
        ownTail = result.right.revision;
      } else if (result.left._tag === 'WrongExpectedRevision') {
        lostTo = result.left;
      }

      return result;
    };
    const next = tail.then(run);
    tail = next.catch(() => undefined);

    return next;
  };

  const view: EventStore = {
    append: (name, events, expected) =>
      name !== stream
        ? store.append(name, events, expected)
        : serial(events, (own) =>
            typeof expected === 'number' &&
            expected >= ownFrom &&
            expected <= own
              ? own
              : expected,
          ),
    readStream: (name, options) => store.readStream(name, options),
    readAll: (options) => store.readAll(options),
    follow: (options) => store.follow(options),
    close: () => Promise.resolve(),
  };

  const renew = async (): Promise<E.Either<ClaimError, void>> => {
    const now = clock.now().getTime();
    const until = now + leaseMs;
    const event: JobEvent = {
      type: 'JobClaimRenewed',
      data: {
        jobId,
        gatewayUid,
        processId,
        leaseUntil: new Date(until).toISOString(),
        at: new Date(now).toISOString(),
      },
    };
    const result = await serial([event], (own) => own);
    if (E.isLeft(result)) {
      return E.left(storeFailed(jobId, result.left));
    }
    leaseUntil = until;

    return E.right(undefined);
  };

  const release = async (): Promise<E.Either<ClaimError, void>> => {
    const event: JobEvent = {
      type: 'JobClaimReleased',
      data: { jobId, gatewayUid, processId, at: clock.now().toISOString() },
    };
    const result = await serial([event], (own) => own);
    if (E.isLeft(result)) {
      return E.left(storeFailed(jobId, result.left));
    }
    // A released claim is as good as lost: nothing more is written.
    lostTo = {
      _tag: 'WrongExpectedRevision',
      stream,
      expected: result.right.revision,
      actual: result.right.revision,
    };

    return E.right(undefined);
  };

  return {
    jobId,
    store: view,
    leaseUntil: () => leaseUntil,
    lost: () => lostTo !== undefined,
    renew,
    release,
  };
};
