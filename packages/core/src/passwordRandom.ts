import { randomBytes } from 'node:crypto';
import type { RandomSource } from './ports.js';

const span = 2 ** 32;

/**
 * A uniform integer in `[0, n)` from a random source. Draws 32-bit values
 * and rejects those at or above the largest multiple of `n`, so no value
 * is likelier than another.
 *
 * @category utils
 */
export const randomIndex = (n: number, random: RandomSource): number => {
  if (!Number.isInteger(n) || n < 1 || n > span) {
    throw new RangeError('randomIndex needs a whole n from 1 to 2^32');
  }
  const limit = span - (span % n);
  // A source that keeps returning the rejected range is broken, not
  // unlucky: with n <= 2^32 each draw is accepted with probability > 1/2.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const b = random.bytes(4);
    const value =
      (((b[0] ?? 0) << 24) |
        ((b[1] ?? 0) << 16) |
        ((b[2] ?? 0) << 8) |
        (b[3] ?? 0)) >>>
      0;
    if (value < limit) {
      return value % n;
    }
  }
  throw new Error('random source returned only rejected values');
};

/**
 * Random bytes from `node:crypto` (the operating system's CSPRNG).
 *
 * @category constructors
 */
export const nodeRandom: RandomSource = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
};
