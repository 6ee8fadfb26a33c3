import {
  DeadlineExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { storeErrorException, storeErrorOf } from './kurrentErrors.js';

describe('storeErrorOf with the client’s own errors', () => {
  it('maps a wrong expected version to WrongExpectedRevision', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'job-1',
      expected: 2n,
      current: 5n,
    });
    expect(storeErrorOf(error, { stream: 'job-1', expected: 2 })).toEqual({
      _tag: 'WrongExpectedRevision',
      stream: 'job-1',
      expected: 2,
      actual: 5,
    });
  });

  it('reports a missing stream as actual no-stream', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'ns-job-2',
      expected: 'stream_exists',
      current: NO_STREAM,
    });
    expect(
      storeErrorOf(error, { stream: 'job-2', expected: 'stream-exists' }),
    ).toEqual({
      _tag: 'WrongExpectedRevision',
      stream: 'job-2',
      expected: 'stream-exists',
      actual: 'no-stream',
    });
  });

  it('maps unavailable and deadline errors to StoreUnavailable', () => {
    for (const error of [
      new UnavailableError(undefined, 'no connection'),
      new DeadlineExceededError(undefined, 'too slow'),
    ]) {
      expect(storeErrorOf(error)._tag).toBe('StoreUnavailable');
    }
  });

  it('maps the raw gRPC error of an unreachable server to StoreUnavailable', () => {
    const raw = Object.assign(
      new Error('14 UNAVAILABLE: No connection established'),
      { code: 14, details: 'No connection established' },
    );
    expect(storeErrorOf(raw)).toEqual({
      _tag: 'StoreUnavailable',
      message: expect.stringContaining('gRPC 14'),
    });
  });

  it('maps a missing stream and unknown errors to StoreFailed', () => {
    expect(storeErrorOf(new StreamNotFoundError(undefined, 'job-9'))).toEqual({
      _tag: 'StoreFailed',
      message: 'stream not found: job-9',
    });
    expect(storeErrorOf(new UnknownError(undefined, 'odd'))._tag).toBe(
      'StoreFailed',
    );
    expect(storeErrorOf('a string')._tag).toBe('StoreFailed');
  });

  it('wraps a StoreError in an exception that carries it', () => {
    const exception = storeErrorException({
      _tag: 'StoreUnavailable',
      message: 'down',
    });
    expect(exception).toBeInstanceOf(Error);
    expect(exception.name).toBe('StoreUnavailable');
    expect(exception.storeError).toEqual({
      _tag: 'StoreUnavailable',
      message: 'down',
    });
  });
});
