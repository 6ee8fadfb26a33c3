import type { EventDecodeFailed } from './decode.js';
import type { ExpectedRevision } from './ports.js';

/**
 * Why the engine stopped a run without finishing the job. None of these is
 * a domain failure (those are recorded as events); each leaves the job
 * resumable by another `run`, except that `JobTakenOver` means another
 * process is running it now.
 *
 * - `JobNotFound`: the stream holds no `RotationScheduled`.
 * - `JobTakenOver`: an append met another writer's event: the job belongs
 *   to that process; this run stopped without doing more.
 * - `StoreFailed`: the event store could not append or read.
 * - `EventDecodeFailed`: a stored event of the job does not decode.
 * - `SecretStoreFailed`: the secret store could not give or keep a
 *   password the job needs.
 * - `InvalidJob`: the stored job cannot be run (a programmer error, e.g. an
 *   action the plan repeats without progress).
 *
 * @category model
 */
export type EngineFailure =
  | { readonly _tag: 'JobNotFound'; readonly jobId: string }
  | {
      readonly _tag: 'JobTakenOver';
      readonly jobId: string;
      readonly stream: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no-stream';
    }
  | {
      readonly _tag: 'StoreFailed';
      readonly jobId: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'EventDecodeFailed';
      readonly jobId: string;
      readonly problem: EventDecodeFailed;
    }
  | {
      readonly _tag: 'SecretStoreFailed';
      readonly jobId: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'InvalidJob';
      readonly jobId: string;
      readonly message: string;
    };

const describe = (f: EngineFailure): string => {
  switch (f._tag) {
    case 'JobNotFound':
      return `job ${f.jobId} was never scheduled`;
    case 'JobTakenOver':
      return `job ${f.jobId} is run by another process (${f.stream} moved past revision ${String(f.expected)})`;
    case 'StoreFailed':
      return `job ${f.jobId}: event store failed: ${f.message}`;
    case 'EventDecodeFailed':
      return `job ${f.jobId}: event at revision ${f.problem.revision} does not decode`;
    case 'SecretStoreFailed':
      return `job ${f.jobId}: secret store failed: ${f.message}`;
    case 'InvalidJob':
      return `job ${f.jobId}: ${f.message}`;
  }
};

/**
 * What a run's Observable errors with when the engine stops early. Tell it
 * apart with {@link isEngineError} and read `failure._tag`.
 *
 * @category model
 */
export class EngineError extends Error {
  readonly _tag = 'EngineError';

  constructor(readonly failure: EngineFailure) {
    super(describe(failure));
    this.name = 'EngineError';
  }
}

/**
 * Whether a run's error is an {@link EngineError}, by tag, so it holds
 * across duplicate copies of the package.
 *
 * @category refinements
 */
export const isEngineError = (u: unknown): u is EngineError =>
  typeof u === 'object' &&
  u !== null &&
  (u as { readonly _tag?: unknown })._tag === 'EngineError';
