import * as E from 'fp-ts/lib/Either.js';
import { replay, type Replayed } from './decode.js';
import { EngineError } from './engineError.js';
import type { JobEvent, RotorEvent } from './events.js';
import { initialJobState, type JobState } from './jobState.js';
import { evolveJob } from './jobStateEvolve.js';
import type { EventStore } from './ports.js';

const jobEventTypes = new Set<string>([
  'RotationScheduled',
  'PasswordChanged',
  'PasswordChangeFailed',
  'DependentsFound',
  'ServiceCredentialUpdated',
  'TaskCredentialUpdated',
  'AppPoolCredentialUpdated',
  'ServiceRestarted',
  'AppPoolRecycled',
  'ServiceRestartSkipped',
  'DependentFailed',
  'MachineFailed',
  'JobFinished',
  'PreflightPassed',
  'PreflightFailed',
  'ServiceRestartHalted',
  'AppPoolRecycleHalted',
  'JobReopened',
] satisfies ReadonlyArray<JobEvent['type']>);

/**
 * Whether a decoded event belongs in a job stream.
 *
 * @category refinements
 */
export const isJobEvent = (event: RotorEvent): event is JobEvent =>
  jobEventTypes.has(event.type);

// A mapping event has no place in a job stream; it changes nothing.
const evolveAny = (state: JobState, event: RotorEvent): JobState =>
  isJobEvent(event) ? evolveJob(state, event) : state;

/**
 * Replays a job's stream into its state and the revision to append at.
 * Fails with `EventDecodeFailed` at the first event that does not decode
 * and with `StoreFailed` when the store cannot be read.
 *
 * @category effects
 */
export const loadJob = async (
  store: EventStore,
  jobId: string,
  stream: string,
): Promise<Replayed<JobState>> => {
  let replayed: Awaited<ReturnType<typeof replay<JobState>>>;
  try {
    replayed = await replay(
      store.readStream(stream),
      initialJobState,
      evolveAny,
    );
  } catch (error: unknown) {
    throw new EngineError({
      _tag: 'StoreFailed',
      jobId,
      message: error instanceof Error ? error.message : 'read failed',
    });
  }
  if (E.isLeft(replayed)) {
    throw new EngineError({
      _tag: 'EventDecodeFailed',
      jobId,
      problem: replayed.left,
    });
  }

  return replayed.right;
};
