import type { Uid } from '../uid.js';

/**
 * A readable, valid {@link Uid} for tests: `name` padded to 22 characters
 * with `_` (`testUid('m1')` is `m1____________________`).
 *
 * @category testing
 */
export const testUid = (name: string): Uid => {
  if (!/^[A-Za-z0-9_-]{1,22}$/.test(name)) {
    throw new RangeError('a test uid is 1 to 22 uid characters');
  }

  return name.padEnd(22, '_') as Uid;
};
