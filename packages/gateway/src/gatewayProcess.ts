// Over 200 lines: one closure holds the work map, the running jobs, the
// timers and the stop sequence, and their interplay reads best in one place.
import {
  decodeRecordedEvent,
  silentLogger,
  systemClock,
  type Clock,
  type Engine,
  type EventStore,
  type Logger,
  type Uid,
} from '@rotor/core';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { recordHeartbeat, recordStopped } from './heartbeat.js';
import {
  evolveJobWork,
  initialJobWork,
  isClaimable,
  type JobWork,
} from './jobWork.js';
import {
  runClaimedJob,
  type JobRun,
  type JobRunOutcome,
} from './runClaimedJob.js';

/**
 * How a gateway process runs. Times are in milliseconds.
 *
 * @category model
 */
export interface GatewayProcessOptions {
  /** The gateway whose jobs this process runs. */
  readonly gatewayUid: Uid;
  /** The store shared by every process of every gateway. */
  readonly store: EventStore;
  /** Builds the engine of one job over the store view of its claim. */
  readonly engine: (store: EventStore) => Engine;
  /** Timestamps and leases; the system clock when absent. */
  readonly clock?: Clock;
  /** This process's id; `<host>:<pid>:<random>` when absent. */
  readonly processId?: string;
  /** How long a claim holds a job without renewal; 30 s when absent. */
  readonly leaseMs?: number;
  /** How often a running job's claim is renewed; a third of the lease. */
  readonly renewMs?: number;
  /** How often a heartbeat is recorded; 10 s when absent. */
  readonly heartbeatMs?: number;
  /** How long a heartbeat counts as live; three heartbeats when absent. */
  readonly heartbeatTtlMs?: number;
  /** How often claimable jobs are looked for; 1 s when absent. */
  readonly pollMs?: number;
  /** How many jobs run at once; 4 when absent. */
  readonly maxJobs?: number;
  /** How long `stop` lets running jobs finish; 30 s when absent. */
  readonly drainMs?: number;
  readonly logger?: Logger;
}

/** One job run by this process, and how it ended. @category model */
export type GatewayJobReport = JobRunOutcome & { readonly processId: string };

/**
 * A gateway process. Built by {@link createGatewayProcess}.
 *
 * @category model
 */
export interface GatewayProcess {
  readonly processId: string;
  /** Records the first heartbeat, then follows the store and runs jobs. */
  readonly start: () => Promise<void>;
  /**
   * Stops looking for jobs, lets running ones finish for up to `drainMs`,
   * abandons (and releases) the rest, records `GatewayProcessStopped`.
   */
  readonly stop: () => Promise<void>;
  /** The jobs this process is claiming or running now. */
  readonly running: () => ReadonlyArray<string>;
  /** Every claimed run's outcome (not `NotClaimed` attempts). */
  readonly reports: Observable<GatewayJobReport>;
}

/** The default lease of a claim. @category constants */
export const defaultLeaseMs = 30_000;
/** The default heartbeat interval. @category constants */
export const defaultHeartbeatMs = 10_000;

const jobPrefix = 'job-';

/**
 * A process of one gateway. It follows the `job-` streams of the store into
 * each job's {@link JobWork}; every `pollMs` (and after each event) it
 * claims the jobs scheduled for its gateway that are open and hold no live
 * claim, up to `maxJobs` at once, and runs each with
 * {@link runClaimedJob}: claim at the expected revision, engine, lease
 * renewals. A job whose claimant died is claimed again once its lease has
 * run out, and the engine resumes it from its events. A heartbeat is
 * recorded every `heartbeatMs`.
 *
 * @category constructors
 */
export const createGatewayProcess = (
  options: GatewayProcessOptions,
): GatewayProcess => {
  const { gatewayUid, store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const processId =
    options.processId ??
    `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  const heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
  const ttlMs = options.heartbeatTtlMs ?? heartbeatMs * 3;
  const pollMs = options.pollMs ?? 1_000;
  const maxJobs = Math.max(1, options.maxJobs ?? 4);
  const drainMs = options.drainMs ?? 30_000;

  const works = new Map<string, JobWork>();
  const runs = new Map<string, JobRun>();
  const resting = new Map<string, number>();
  const reports = new Subject<GatewayJobReport>();
  const timers: Array<ReturnType<typeof setInterval>> = [];
  let following: Subscription | undefined;
  let state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';

  const heartbeat = async () => {
    const written = await recordHeartbeat({
      store,
      gatewayUid,
      processId,
      clock,
      ttlMs,
    });
    if (E.isLeft(written)) {
      logger.warn('gateway.heartbeat.failed', { reason: written.left._tag });
    }
  };

  const launch = (jobId: Uid) => {
    const run = runClaimedJob({
      store,
      jobId,
      gatewayUid,
      processId,
      leaseMs,
      clock,
      engine: options.engine,
      logger,
      ...(options.renewMs === undefined ? {} : { renewMs: options.renewMs }),
    });
    runs.set(jobId, run);
    void run.outcome.then((outcome) => {
      runs.delete(jobId);
      const now = clock.now().getTime();
      if (
        outcome._tag === 'Failed' ||
        (outcome._tag === 'NotClaimed' && outcome.error._tag === 'StoreFailed')
      ) {
        // Not again before a lease has passed: the failure may last.
        resting.set(jobId, now + leaseMs);
      } else if (outcome._tag === 'NotClaimed') {
        // Another process has it; the follower will show its claim soon.
        resting.set(jobId, now + pollMs * 5);
      }
      if (outcome._tag !== 'NotClaimed') {
        reports.next({ ...outcome, processId });
      }
      tick();
    });
  };

  const tick = () => {
    if (state !== 'running') {
      return;
    }
    const now = clock.now().getTime();
    for (const work of works.values()) {
      if (runs.size >= maxJobs) {
        return;
      }
      const rest = resting.get(work.jobId);
      if (
        !runs.has(work.jobId) &&
        (rest === undefined || rest <= now) &&
        isClaimable(work, gatewayUid, now)
      ) {
        resting.delete(work.jobId);
        launch(work.jobId);
      }
    }
  };

  const start = async () => {
    if (state !== 'new') {
      return;
    }
    state = 'running';
    await heartbeat();
    timers.push(setInterval(() => void heartbeat(), heartbeatMs));
    timers.push(setInterval(tick, pollMs));
    following = store.follow({ streamPrefixes: [jobPrefix] }).subscribe({
      next: (recorded) => {
        const decoded = decodeRecordedEvent(recorded);
        if (E.isLeft(decoded)) {
          logger.warn('gateway.event.undecodable', {
            stream: recorded.stream,
            revision: recorded.revision,
          });

          return;
        }
        const event = decoded.right;
        if (!('jobId' in event.data)) {
          return;
        }
        const jobId = event.data.jobId;
        const work = works.get(jobId) ?? initialJobWork(jobId);
        works.set(jobId, evolveJobWork(work, event, recorded.revision));
        tick();
      },
      error: (error: unknown) =>
        logger.error('gateway.follow.failed', {
          reason: error instanceof Error ? error.message : 'unknown',
        }),
    });
    logger.info('gateway.process.started', { gateway: gatewayUid, processId });
  };

  const stop = async () => {
    if (state !== 'running') {
      state = 'stopped';

      return;
    }
    state = 'stopping';
    timers.splice(0).forEach(clearInterval);
    following?.unsubscribe();
    const pending = () => [...runs.values()];
    const drained = Promise.all(pending().map((r) => r.outcome));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      drained,
      new Promise((resolve) => {
        timer = setTimeout(resolve, drainMs);
      }),
    ]);
    clearTimeout(timer);
    const left = pending();
    left.forEach((r) => r.abandon());
    await Promise.all(left.map((r) => r.outcome));
    const stopped = await recordStopped({
      store,
      gatewayUid,
      processId,
      clock,
    });
    if (E.isLeft(stopped)) {
      logger.warn('gateway.stop.unrecorded', { reason: stopped.left._tag });
    }
    state = 'stopped';
    reports.complete();
    logger.info('gateway.process.stopped', { gateway: gatewayUid, processId });
  };

  return {
    processId,
    start,
    stop,
    running: () => [...runs.keys()],
    reports: reports.asObservable(),
  };
};
