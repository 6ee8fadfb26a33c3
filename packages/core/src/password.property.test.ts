import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { generatePassword } from './password.js';
import type { PasswordPolicy } from './password.js';
import { randomIndex } from './passwordRandom.js';
import type { RandomSource } from './ports.js';

/** A deterministic source driven by a fast-check seed. */
const seeded = (seed: number): RandomSource => {
  let state = seed >>> 0 || 1;

  return {
    bytes: (n) =>
      Uint8Array.from({ length: n }, () => {
        // xorshift32: fast, and enough to exercise the generator's logic.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;

        return (state >>> 0) & 255;
      }),
  };
};

const policyArb: fc.Arbitrary<PasswordPolicy> = fc
  .record({
    lower: fc.boolean(),
    upper: fc.boolean(),
    digits: fc.boolean(),
    symbols: fc.boolean(),
    symbolSet: fc.string({
      unit: 'grapheme-ascii',
      minLength: 1,
      maxLength: 10,
    }),
    extra: fc.nat({ max: 40 }),
  })
  .filter((p) => p.lower || p.upper || p.digits || p.symbols)
  .map(({ extra, ...p }) => ({
    ...p,
    length:
      [p.lower, p.upper, p.digits, p.symbols].filter(Boolean).length + extra,
  }));

const classes = (p: PasswordPolicy) =>
  [
    [p.lower, (c: string) => /[a-z]/.test(c)],
    [p.upper, (c: string) => /[A-Z]/.test(c)],
    [p.digits, (c: string) => /[0-9]/.test(c)],
    [p.symbols, (c: string) => p.symbolSet.includes(c)],
  ] as const;

describe('generatePassword (properties)', () => {
  it('has the length, one of each enabled class, nothing else', () => {
    fc.assert(
      fc.property(policyArb, fc.integer(), (policy, seed) => {
        const r = generatePassword(policy, seeded(seed));
        expect(E.isRight(r)).toBe(true);
        const chars = [...(E.isRight(r) ? r.right.reveal() : '')];

        expect(chars).toHaveLength(policy.length);
        for (const [enabled, test] of classes(policy)) {
          if (enabled) {
            expect(chars.some(test)).toBe(true);
          }
        }
        const allowed = (c: string) =>
          classes(policy).some(([enabled, test]) => enabled && test(c));
        expect(chars.every(allowed)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is refused when shorter than its number of classes', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const n = classes(policy).filter(([on]) => on).length;
        const short = { ...policy, length: n - 1 };
        const r = generatePassword(short, seeded(1));

        expect(E.isLeft(r)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('randomIndex (properties)', () => {
  it('stays in range for any n and any bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 32 }),
        fc.integer(),
        (n, seed) => {
          const i = randomIndex(n, seeded(seed));

          expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes an accepted draw as is and redraws a rejected one', () => {
    const bytesOf = (v: number) => [
      v >>> 24,
      (v >>> 16) & 255,
      (v >>> 8) & 255,
      v & 255,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 32 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, first, second) => {
          const queue = [...bytesOf(first), ...bytesOf(second)];
          let draws = 0;
          const source: RandomSource = {
            bytes: (k) => {
              draws += 1;

              return Uint8Array.from(queue.splice(0, k));
            },
          };
          const limit = 2 ** 32 - (2 ** 32 % n);

          const i = randomIndex(n, source);

          // `second` is below 2^31, which every limit exceeds.
          expect(i).toBe(first < limit ? first % n : second % n);
          expect(draws).toBe(first < limit ? 1 : 2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
