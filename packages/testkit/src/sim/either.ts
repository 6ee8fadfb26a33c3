import * as E from 'fp-ts/lib/Either.js';

/** `E.map` with the data first, for the simulator's step-by-step code. */
export const map = <L, A, B>(
  fa: E.Either<L, A>,
  f: (a: A) => B,
): E.Either<L, B> => E.map(f)(fa);

/** `E.mapLeft` with the data first. */
export const mapLeft = <L, A, M>(
  fa: E.Either<L, A>,
  f: (l: L) => M,
): E.Either<M, A> => E.mapLeft(f)(fa);
