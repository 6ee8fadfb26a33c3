import type { ExpectedRevision, StoreError } from '@rotor/core';
import {
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { actualRevisionOf } from './kurrentMapping.js';

// gRPC status codes after which the server may answer later: UNAVAILABLE
// (14) is what an unreachable server gives, raw, on append; DEADLINE_EXCEEDED
// (4), RESOURCE_EXHAUSTED (8), ABORTED (10).
const transientGrpcCodes = new Set([4, 8, 10, 14]);

const grpcCode = (cause: unknown): number | undefined =>
  typeof cause === 'object' &&
  cause !== null &&
  'code' in cause &&
  typeof cause.code === 'number'
    ? cause.code
    : undefined;

const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/**
 * The {@link StoreError} for something the KurrentDB client threw or
 * emitted.
 *
 * - `WrongExpectedVersionError` is `WrongExpectedRevision`, with the
 *   stream and `expected` as the caller gave them and the server's actual
 *   revision.
 * - An unreachable server in both forms the client gives it (an
 *   `UnavailableError`, from reads and subscriptions, and a raw gRPC error
 *   with code 14 from appends), deadlines, timeouts and a lost leader are
 *   `StoreUnavailable`.
 * - `StreamNotFoundError` and anything else are `StoreFailed` (a read of
 *   a missing stream is not an error: the store returns no events).
 *
 * @category errors
 */
export const storeErrorOf = (
  cause: unknown,
  attempt?: { readonly stream: string; readonly expected: ExpectedRevision },
): StoreError => {
  if (cause instanceof WrongExpectedVersionError) {
    return {
      _tag: 'WrongExpectedRevision',
      stream: attempt?.stream ?? cause.streamName,
      expected: attempt?.expected ?? 'any',
      actual: actualRevisionOf(cause.actualState),
    };
  }
  if (
    cause instanceof UnavailableError ||
    cause instanceof DeadlineExceededError ||
    cause instanceof TimeoutError ||
    cause instanceof NotLeaderError
  ) {
    return {
      _tag: 'StoreUnavailable',
      message: `KurrentDB unavailable: ${messageOf(cause)}`,
    };
  }
  if (cause instanceof StreamNotFoundError) {
    return {
      _tag: 'StoreFailed',
      message: `stream not found: ${cause.streamName}`,
    };
  }
  const code = grpcCode(cause);
  if (code !== undefined && transientGrpcCodes.has(code)) {
    return {
      _tag: 'StoreUnavailable',
      message: `KurrentDB unavailable (gRPC ${code}): ${messageOf(cause)}`,
    };
  }

  return { _tag: 'StoreFailed', message: messageOf(cause) };
};

/** The error of any operation on a closed store. @category errors */
export const storeClosed: StoreError = {
  _tag: 'StoreUnavailable',
  message: 'the store is closed',
};

/**
 * An `Error` carrying a {@link StoreError}, for the places the port gives
 * no other channel: an async iterator of a read, the error of a `follow`.
 * Recognise it by `storeError._tag`.
 *
 * @category errors
 */
export interface StoreErrorException extends Error {
  readonly storeError: StoreError;
}

/**
 * One line for a {@link StoreError}, for logs and the CLI.
 *
 * @category errors
 */
export const storeErrorMessage = (error: StoreError): string =>
  error._tag === 'WrongExpectedRevision'
    ? `stream ${error.stream} is at ${error.actual}, not ${error.expected}`
    : error.message;

/** Wraps a {@link StoreError} to be thrown. @category errors */
export const storeErrorException = (
  storeError: StoreError,
): StoreErrorException =>
  Object.assign(new Error(storeErrorMessage(storeError)), {
    name: storeError._tag,
    storeError,
  });
