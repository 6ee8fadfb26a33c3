import { describe, expect, it } from 'vitest';
import { fixedClock, systemClock } from './clock.js';

describe('clocks', () => {
  it('a fixed clock always reads the same time, as a fresh Date', () => {
    const clock = fixedClock('2026-05-06T07:08:09.000Z');
    const first = clock.now();
    first.setFullYear(1999);

    expect(clock.now().toISOString()).toBe('2026-05-06T07:08:09.000Z');
  });

  it('the system clock reads the time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();

    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
