import * as E from 'fp-ts/lib/Either.js';
import { replay, type EventDecodeFailed } from './decode.js';
import { isJobEvent } from './engineLoad.js';
import type { JobCounts, JobOptions, RotorEvent } from './events.js';
import { initialJobState, type JobState } from './jobState.js';
import { evolveJob } from './jobStateEvolve.js';
import { countJob } from './planCounts.js';
import { targetsOf } from './plan.js';
import type { EventStore } from './ports.js';

/**
 * One line of the audit: a job's user, gateway, status, start, duration
 * and counts. A job that has not finished has `status` `scheduled` or
 * `running` and counts as of now.
 *
 * @category model
 */
export interface JobSummary {
  readonly jobId: string;
  readonly userUid: string;
  readonly gatewayUid: string;
  readonly status: string;
  readonly options: JobOptions;
  readonly by: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly message?: string;
  readonly counts: JobCounts;
  /** How many times `restart` or `retry` reopened it. */
  readonly reopened: number;
}

/**
 * The summary of one job's state, or undefined for an unscheduled one.
 *
 * @category utils
 */
export const jobSummaryOf = (state: JobState): JobSummary | undefined => {
  if (state.status === 'unscheduled') {
    return undefined;
  }
  const { job } = state;
  const machines = state.status === 'scheduled' ? {} : state.machines;
  const counts =
    state.status === 'finished'
      ? state.end.counts
      : countJob(
          targetsOf(job.targets).map((t) => ({
            machine: machines[t.machineUid] ?? { dependents: {} },
            kinds: t.kinds,
          })),
        );
  const end = state.status === 'finished' ? state.end : undefined;

  return {
    jobId: job.jobId,
    userUid: job.userUid,
    gatewayUid: job.gatewayUid,
    status: end?.status ?? state.status,
    options: job.options,
    by: job.by,
    startedAt: job.at,
    ...(end === undefined
      ? {}
      : {
          finishedAt: end.at,
          durationMs: end.durationMs,
          message: end.message,
        }),
    counts,
    reopened: state.status === 'scheduled' ? 0 : (state.reopened ?? 0),
  };
};

/**
 * Every job of the store, folded from the `job-` streams, in the order they
 * were scheduled. Fails at the first event that does not decode.
 *
 * @category effects
 */
export const readJobs = async (
  store: EventStore,
): Promise<E.Either<EventDecodeFailed, ReadonlyMap<string, JobState>>> => {
  const folded = await replay(
    store.readAll({ streamPrefixes: ['job-'] }),
    new Map<string, JobState>(),
    (jobs, event: RotorEvent) => {
      if (!isJobEvent(event)) {
        return jobs;
      }
      const id = event.data.jobId;
      jobs.set(id, evolveJob(jobs.get(id) ?? initialJobState, event));

      return jobs;
    },
  );

  return E.map((r: { readonly state: Map<string, JobState> }) => r.state)(
    folded,
  );
};
