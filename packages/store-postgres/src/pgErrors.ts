import type { StoreError } from '@rotor/core';

// Node's socket errors when the server cannot be reached or went away.
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// SQLSTATEs after which trying again may succeed: connection exceptions
// (class 08), too many connections, a server shutting down or starting,
// serialization failures and deadlocks.
const transientStates = new Set([
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
]);

const field = (cause: unknown, name: string): string | undefined => {
  if (typeof cause !== 'object' || cause === null || !(name in cause)) {
    return undefined;
  }
  const value: unknown = (cause as Record<string, unknown>)[name];

  return typeof value === 'string' ? value : undefined;
};

/** The SQLSTATE or Node error code of something `pg` threw. */
export const codeOf = (cause: unknown): string | undefined =>
  field(cause, 'code');

/** SQLSTATE 23505: a row with the same key exists. */
export const isUniqueViolation = (cause: unknown): boolean =>
  codeOf(cause) === '23505';

// pg reports a dropped or timed-out connection with plain Errors.
const lostConnection =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/**
 * Whether something `pg` threw means the server is unreachable or went
 * away: a socket error, a connection exception (SQLSTATE class 08), a
 * server shutting down, full or starting, or a connection pg gave up on.
 *
 * @category errors
 */
export const isUnavailable = (cause: unknown): boolean => {
  const code = codeOf(cause);
  if (code !== undefined) {
    return (
      networkCodes.has(code) ||
      transientStates.has(code) ||
      code.startsWith('08')
    );
  }
  const message = cause instanceof Error ? cause.message : String(cause);

  return lostConnection.test(message);
};

/**
 * The {@link StoreError} for something `pg` threw: an unreachable server or
 * a lost connection is `StoreUnavailable` (a retry may succeed); anything
 * else is `StoreFailed`. The message is the server's or the driver's; the
 * store passes every value as a parameter, so it names no event data.
 *
 * @category errors
 */
export const storeErrorOf = (cause: unknown): StoreError => {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = codeOf(cause);
  const text = code === undefined ? message : `${code}: ${message}`;

  return isUnavailable(cause)
    ? { _tag: 'StoreUnavailable', message: text }
    : { _tag: 'StoreFailed', message: text };
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
 * One line for a {@link StoreError}, for logs and the CLI: a conflict
 * names the stream and both revisions.
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

/** The {@link StoreError} of anything thrown, unwrapping an exception. */
export const asStoreError = (cause: unknown): StoreError =>
  typeof cause === 'object' &&
  cause !== null &&
  'storeError' in cause &&
  typeof cause.storeError === 'object' &&
  cause.storeError !== null &&
  '_tag' in cause.storeError
    ? (cause.storeError as StoreError)
    : storeErrorOf(cause);
