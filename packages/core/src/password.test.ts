import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  defaultPasswordPolicy,
  describePasswordPolicyInvalid,
  generatePassword,
  passwordGenerator,
} from './password.js';
import { nodeRandom, randomIndex } from './passwordRandom.js';
import type { RandomSource } from './ports.js';

/** Plays back the given bytes, then fails the test if more are asked for. */
const scripted = (bytes: ReadonlyArray<number>): RandomSource => {
  let at = 0;

  return {
    bytes: (n) => {
      if (at + n > bytes.length) {
        throw new Error('scripted random source ran out');
      }
      at += n;

      return Uint8Array.from(bytes.slice(at - n, at));
    },
  };
};

const word = (v: number) => [
  v >>> 24,
  (v >>> 16) & 255,
  (v >>> 8) & 255,
  v & 255,
];

describe('generatePassword', () => {
  it('makes a 20-character password of every class by default', () => {
    const r = generatePassword(defaultPasswordPolicy, nodeRandom);

    expect(E.isRight(r)).toBe(true);
    const text = E.isRight(r) ? r.right.reveal() : '';
    expect(text).toHaveLength(20);
    expect(text).toMatch(/[a-z]/);
    expect(text).toMatch(/[A-Z]/);
    expect(text).toMatch(/[0-9]/);
    expect(text).toMatch(/[^a-zA-Z0-9]/);
    expect(String(E.isRight(r) && r.right)).toBe('[secret]');
  });

  it('uses only the enabled classes and the given symbols', () => {
    const policy = {
      ...defaultPasswordPolicy,
      length: 64,
      upper: false,
      digits: false,
      symbolSet: '#',
    };

    const r = generatePassword(policy, nodeRandom);

    expect(E.isRight(r) && r.right.reveal()).toMatch(/^[a-z#]{64}$/);
  });

  it.each([
    [{ length: 3 }, 'too-short'],
    [{ length: 0 }, 'bad-length'],
    [{ length: 2.5 }, 'bad-length'],
    [{ length: 2000 }, 'bad-length'],
    [{ symbolSet: '' }, 'empty-symbol-set'],
    [
      { lower: false, upper: false, digits: false, symbols: false },
      'no-classes',
    ],
  ] as const)('refuses policy %j: %s', (change, reason) => {
    const r = generatePassword(
      { ...defaultPasswordPolicy, ...change },
      nodeRandom,
    );

    expect(E.isLeft(r) && r.left.reason).toBe(reason);
    expect(E.isLeft(r) && describePasswordPolicyInvalid(r.left)).toBeTruthy();
  });

  it('says why a policy is too short', () => {
    const r = checkPasswordPolicy({ ...defaultPasswordPolicy, length: 3 });

    expect(E.isLeft(r) && describePasswordPolicyInvalid(r.left)).toBe(
      'password length 3 is shorter than the 4 character classes it must contain',
    );
  });

  it('checks once and then generates from the same policy', () => {
    const next = passwordGenerator(
      { ...defaultPasswordPolicy, length: 8 },
      nodeRandom,
    );

    expect(E.isRight(next) && next.right().reveal()).toHaveLength(8);
    expect(
      E.isLeft(
        passwordGenerator({ ...defaultPasswordPolicy, length: 1 }, nodeRandom),
      ),
    ).toBe(true);
  });
});

describe('randomIndex', () => {
  it('rejects draws from the biased tail instead of folding them', () => {
    // n = 3: 2^32 % 3 = 1, so the largest value 2^32 - 1 is rejected and
    // the next draw (5) gives 5 % 3 = 2.
    expect(randomIndex(3, scripted([...word(0xffffffff), ...word(5)]))).toBe(2);
    expect(randomIndex(3, scripted(word(0xfffffffe)))).toBe(0xfffffffe % 3);
  });

  it('refuses n outside 1 to 2^32', () => {
    expect(() => randomIndex(0, nodeRandom)).toThrow(RangeError);
    expect(() => randomIndex(1.5, nodeRandom)).toThrow(RangeError);
  });

  it('gives up on a source that returns only rejected values', () => {
    const stuck: RandomSource = { bytes: (n) => new Uint8Array(n).fill(255) };

    expect(() => randomIndex(3, stuck)).toThrow(/only rejected values/);
  });
});
