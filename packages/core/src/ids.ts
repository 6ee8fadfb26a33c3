import type { Ids, RandomSource } from './ports.js';
import { uidFromBytes } from './uid.js';

/**
 * An {@link Ids} that makes each uid from 16 bytes of `random`.
 *
 * @category constructors
 */
export const randomIds = (random: RandomSource): Ids => ({
  newUid: () => {
    const bytes = Uint8Array.from(random.bytes(16));
    // A uid that starts with '-' (its first six bits 62) reads as an
    // option on a command line (`rotor job-info -3ti…`): clearing the top
    // bit makes it start with a letter instead.
    if (bytes[0] !== undefined && bytes[0] >> 2 === 62) {
      bytes[0] &= 0x7f;
    }

    return uidFromBytes(bytes);
  },
});
