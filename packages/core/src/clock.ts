import type { Clock } from './ports.js';

/**
 * The {@link Clock} of the machine the process runs on. Pass it where a
 * real clock is wanted; tests pass a fixed one instead.
 *
 * @category constructors
 */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A {@link Clock} that always reads `at`, for tests and replays.
 *
 * @category constructors
 */
export const fixedClock = (at: Date | string): Clock => {
  const time = new Date(at).getTime();

  return { now: () => new Date(time) };
};
