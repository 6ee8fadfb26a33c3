import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { OperationName } from '@rotor/windows';
import type { SimHost } from './simHost.js';
import type { PsQuirks } from './simTypes.js';
import { type WinError, winError } from './windowsErrors.js';

/**
 * Where a run is, as its stdout markers tell (W23): `begin` is called
 * where the script prints `##rotor BEGIN`, after its checks and before its
 * first change, with what it changes (for the event log entry; none for a
 * read-only operation).
 *
 * @category testing
 */
export interface SimStage {
  /**
   * Marks the run's beginning (`##rotor BEGIN`), naming what it changes,
   * if anything.
   */
  readonly begin: (change?: string) => void;
}

/** One operation: input JSON text in, result or error out. @category testing */
export type Handler = (
  host: SimHost,
  input: string,
  quirks: PsQuirks,
  stage: SimStage,
) => E.Either<WinError, unknown>;

type Run<A> = (
  host: SimHost,
  input: A,
  quirks: PsQuirks,
  stage: SimStage,
) => E.Either<WinError, unknown>;

const invalidInput = (op: string, errors: t.Errors): WinError => {
  // Key names only: a value may be a password.
  const keys = new Set(
    errors.map((e) =>
      e.context
        .map((c) => c.key)
        .filter((k) => k !== '')
        .join('.'),
    ),
  );

  return winError(
    'ERROR_INVALID_PARAMETER',
    `input for ${op} is not valid at: ${[...keys].join(', ') || '(root)'}`,
  );
};

/**
 * An operation's handler: its input parsed and decoded (87 naming the
 * fields otherwise), then `run`.
 *
 * @category testing
 */
export const op =
  <A>(
    name: OperationName,
    codec: t.Decoder<unknown, A>,
    run: Run<A>,
  ): Handler =>
  (host, text, quirks, stage) => {
    const json = E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => undefined,
    );
    if (E.isLeft(json)) {
      return E.left(
        winError(
          'ERROR_INVALID_PARAMETER',
          'the input is not one JSON document',
        ),
      );
    }
    const input = codec.decode(json.right);

    return E.isLeft(input)
      ? E.left(invalidInput(name, input.left))
      : run(host, input.right, quirks, stage);
  };

/**
 * The first check that fails, else the stage begins (`##rotor BEGIN`,
 * naming `change`) and the action runs. With `change` null the action
 * marks its beginning itself, after checks of its own.
 *
 * @category testing
 */
export const guarded = <A>(
  stage: SimStage,
  change: string | undefined | null,
  checks: ReadonlyArray<() => WinError | undefined>,
  action: () => E.Either<WinError, A>,
): E.Either<WinError, A> => {
  for (const check of checks) {
    const failed = check();
    if (failed !== undefined) {
      return E.left(failed);
    }
  }
  if (change !== null) {
    stage.begin(change);
  }

  return action();
};
