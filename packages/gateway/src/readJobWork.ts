import {
  decodeRecordedEvent,
  formatDecodeFailure,
  jobStream,
  type EventStore,
  type Uid,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { evolveJobWork, initialJobWork, type JobWork } from './jobWork.js';

/**
 * Why a job's stream could not be read into its {@link JobWork}.
 *
 * @category model
 */
export interface ReadFailed {
  readonly _tag: 'ReadFailed';
  readonly jobId: string;
  readonly message: string;
}

/**
 * Reads `job-<jobId>` from its start and folds it into its
 * {@link JobWork}. A store failure or an event that does not decode is a
 * `ReadFailed` (the message names positions and types, never data).
 *
 * @category effects
 */
export const readJobWork = async (
  store: EventStore,
  jobId: Uid,
): Promise<E.Either<ReadFailed, JobWork>> => {
  let work = initialJobWork(jobId);
  try {
    for await (const recorded of store.readStream(jobStream(jobId))) {
      const decoded = decodeRecordedEvent(recorded);
      if (E.isLeft(decoded)) {
        return E.left({
          _tag: 'ReadFailed',
          jobId,
          message: formatDecodeFailure(decoded.left),
        });
      }
      work = evolveJobWork(work, decoded.right, recorded.revision);
    }
  } catch (error: unknown) {
    return E.left({
      _tag: 'ReadFailed',
      jobId,
      message: error instanceof Error ? error.message : 'read failed',
    });
  }

  return E.right(work);
};
