import type { StoreError } from '@rotor/core';

// SQLite's primary result codes after which trying again may succeed: a
// lock held by another connection, a file that cannot be opened or read
// right now, a full disk.
const transientCodes = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_PROTOCOL',
]);

const primaryCode = (code: string): string =>
  code.split('_').slice(0, 2).join('_');

const codeOf = (cause: unknown): string | undefined =>
  typeof cause === 'object' &&
  cause !== null &&
  'code' in cause &&
  typeof cause.code === 'string'
    ? cause.code
    : undefined;

/**
 * The {@link StoreError} for something better-sqlite3 threw: a busy or
 * locked database, an unreadable file or a full disk is
 * `StoreUnavailable` (a retry may succeed); anything else is `StoreFailed`.
 * The message is SQLite's, which names no bound value.
 *
 * @category errors
 */
export const storeErrorOf = (cause: unknown): StoreError => {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = codeOf(cause);
  if (code !== undefined && transientCodes.has(primaryCode(code))) {
    return { _tag: 'StoreUnavailable', message: `${code}: ${message}` };
  }

  return {
    _tag: 'StoreFailed',
    message: code === undefined ? message : `${code}: ${message}`,
  };
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
