import type { Ids, RandomSource } from './ports.js';
import { uidFromBytes } from './uid.js';

/**
 * An {@link Ids} that makes each uid from 16 bytes of `random`.
 *
 * @category constructors
 */
export const randomIds = (random: RandomSource): Ids => ({
  newUid: () => uidFromBytes(random.bytes(16)),
});
