import * as E from 'fp-ts/lib/Either.js';
import type { RandomSource } from './ports.js';
import { Secret } from './secret.js';
import { randomIndex } from './passwordRandom.js';

/**
 * How new passwords look: a length, and which character classes they draw
 * from. Every enabled class appears at least once.
 *
 * @category model
 */
export interface PasswordPolicy {
  readonly length: number;
  readonly lower: boolean;
  readonly upper: boolean;
  readonly digits: boolean;
  readonly symbols: boolean;
  /** The symbols to draw from when `symbols` is on; duplicates count once. */
  readonly symbolSet: string;
}

/**
 * 20 characters from lower and upper case letters, digits and every ASCII
 * symbol: about 130 bits, and passes Windows' complexity rule.
 *
 * @category constructors
 */
export const defaultPasswordPolicy: PasswordPolicy = {
  length: 20,
  lower: true,
  upper: true,
  digits: true,
  symbols: true,
  symbolSet: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/**
 * Why a policy cannot produce a password: no class enabled, symbols on
 * with an empty set, a length that is not a whole number from 1 to 1024,
 * or a length below the number of enabled classes.
 *
 * @category model
 */
export interface PasswordPolicyInvalid {
  readonly _tag: 'PasswordPolicyInvalid';
  readonly reason:
    'no-classes' | 'empty-symbol-set' | 'bad-length' | 'too-short';
  readonly length: number;
  readonly classes: number;
}

const range = (from: string, to: string): string =>
  String.fromCharCode(
    ...Array.from(
      { length: to.charCodeAt(0) - from.charCodeAt(0) + 1 },
      (_, i) => from.charCodeAt(0) + i,
    ),
  );

// The enabled classes, each a list of distinct characters (a symbol set
// may hold a character twice, or one outside the BMP).
const classesOf = (policy: PasswordPolicy): ReadonlyArray<string[]> =>
  (
    [
      [policy.lower, range('a', 'z')],
      [policy.upper, range('A', 'Z')],
      [policy.digits, range('0', '9')],
      [policy.symbols, policy.symbolSet],
    ] as const
  )
    .filter(([enabled]) => enabled)
    .map(([, chars]) => [...new Set(chars)]);

/**
 * Checks that a policy can produce a password.
 *
 * @category deciders
 */
export const checkPasswordPolicy = (
  policy: PasswordPolicy,
): E.Either<PasswordPolicyInvalid, PasswordPolicy> => {
  const classes = classesOf(policy);
  const fail = (reason: PasswordPolicyInvalid['reason']) =>
    E.left<PasswordPolicyInvalid, PasswordPolicy>({
      _tag: 'PasswordPolicyInvalid',
      reason,
      length: policy.length,
      classes: classes.length,
    });
  if (classes.length === 0) {
    return fail('no-classes');
  }
  if (classes.some((c) => c.length === 0)) {
    return fail('empty-symbol-set');
  }
  if (!Number.isInteger(policy.length) || policy.length < 1) {
    return fail('bad-length');
  }
  if (policy.length > 1024) {
    return fail('bad-length');
  }

  return policy.length < classes.length ? fail('too-short') : E.right(policy);
};

const pick = <A>(items: ReadonlyArray<A>, random: RandomSource): A =>
  items[randomIndex(items.length, random)] as A;

const draw = (policy: PasswordPolicy, random: RandomSource): Secret => {
  const classes = classesOf(policy);
  const all = classes.flat();
  const chars = [
    ...classes.map((c) => pick(c, random)),
    ...Array.from({ length: policy.length - classes.length }, () =>
      pick(all, random),
    ),
  ];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }

  return Secret.of(chars.join(''));
};

/**
 * A new password under `policy`, drawn from `random`: one character of
 * each enabled class, the rest from all of them together, then shuffled.
 * Every draw is uniform (rejection sampling, no modulo bias). A policy that
 * cannot be met is a {@link PasswordPolicyInvalid}.
 *
 * @category constructors
 */
export const generatePassword = (
  policy: PasswordPolicy,
  random: RandomSource,
): E.Either<PasswordPolicyInvalid, Secret> =>
  E.map((checked: PasswordPolicy) => draw(checked, random))(
    checkPasswordPolicy(policy),
  );

/**
 * Checks `policy` once and returns a function that makes passwords under
 * it, for callers (the engine) that check their configuration up front and
 * then need a password that cannot fail.
 *
 * @category constructors
 */
export const passwordGenerator = (
  policy: PasswordPolicy,
  random: RandomSource,
): E.Either<PasswordPolicyInvalid, () => Secret> =>
  E.map((checked: PasswordPolicy) => () => draw(checked, random))(
    checkPasswordPolicy(policy),
  );

/**
 * One line for a human about a {@link PasswordPolicyInvalid}.
 *
 * @category destructors
 */
export const describePasswordPolicyInvalid = (
  e: PasswordPolicyInvalid,
): string => {
  switch (e.reason) {
    case 'no-classes':
      return 'the password policy enables no character class';
    case 'empty-symbol-set':
      return 'the password policy enables symbols but lists none';
    case 'bad-length':
      return `password length ${e.length} is not a whole number from 1 to 1024`;
    case 'too-short':
      return (
        `password length ${e.length} is shorter than the ` +
        `${e.classes} character classes it must contain`
      );
  }
};
