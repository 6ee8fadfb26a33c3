import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { RemoteResult } from '@rotor/core';
import { readStderr } from './clixml.js';
import { readStdout } from './markers.js';
import { serviceReturnName } from './codes.js';
import {
  EnvelopeCodec,
  RawRecycleResultCodec,
  type OperationName,
  type RemoteError,
} from './protocol.js';
import {
  EnumerationCodec,
  toEnumeration,
  type Enumeration,
} from './enumeration.js';
import { listOf } from './windowsValues.js';

/**
 * Why an operation's output is not a success: the host reported a failure
 * (`RemoteFailed`: the script's error document, an error record on
 * stderr, a non-zero exit), or the output is not what the operation
 * prints (`OutputInvalid`). Neither carries the output itself.
 *
 * @category model
 */
export type OutputError =
  | {
      readonly _tag: 'RemoteFailed';
      readonly operation: OperationName;
      readonly error: RemoteError;
    }
  | {
      readonly _tag: 'OutputInvalid';
      readonly operation: OperationName;
      readonly reason: string;
    }
  | {
      /**
       * The envelope does not echo the nonce this run sent (W21): an
       * answer to another run, or a corrupted one. Whether the host
       * changed anything is unknown when `begun` is true.
       */
      readonly _tag: 'NonceMismatch';
      readonly operation: OperationName;
      readonly begun: boolean;
    };

/** What each operation gives when it succeeds. @category model */
export interface OperationOutputs {
  readonly 'enumerate-dependents': Enumeration;
  readonly 'set-service-credential': undefined;
  readonly 'restart-service': {
    readonly dependentsRestarted: ReadonlyArray<string>;
  };
  readonly 'set-task-credential': undefined;
  readonly 'set-apppool-credential': undefined;
  readonly 'recycle-apppool': { readonly recycled: boolean };
  readonly 'change-local-password': undefined;
  readonly 'change-domain-password': undefined;
  readonly 'test-logon': undefined;
}

/**
 * Where and what io-ts could not decode: paths and expected type names,
 * never the values (they may hold anything the host printed).
 */
const describeErrors = (errors: t.Errors): string =>
  errors
    .slice(0, 3)
    .map((e) => {
      const path = e.context
        .map((c) => c.key)
        .filter((k) => k !== '')
        .join('.');
      const expected = e.context[e.context.length - 1]?.type.name ?? '?';

      return `${path === '' ? 'result' : path}: expected ${expected}`;
    })
    .join('; ');

const invalid = (operation: OperationName, reason: string): OutputError => ({
  _tag: 'OutputInvalid',
  operation,
  reason,
});

const remoteFailed = (
  operation: OperationName,
  error: RemoteError,
): OutputError => ({ _tag: 'RemoteFailed', operation, error });

const short = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();

  return flat.length > 400 ? `${flat.slice(0, 400)}...` : flat;
};

/**
 * A name for what stopped PowerShell, from the text of its error records
 * or plain stderr: policy and shell problems are told apart from script
 * errors because retrying does not help them.
 *
 * @category utils
 */
export const classifyHostError = (text: string): string => {
  if (text.includes('ScriptContainedMaliciousContent')) {
    return 'BlockedByAntimalware';
  }
  if (
    /MethodInvocationNotSupportedInConstrainedLanguage|CannotCreateTypeConstrainedLanguage|language mode/i.test(
      text,
    )
  ) {
    return 'ConstrainedLanguage';
  }
  if (/is not recognized as an internal or external command/i.test(text)) {
    return 'WrongShell';
  }

  return 'ScriptError';
};

const resultDecoders: {
  readonly [O in OperationName]: (
    operation: O,
    result: unknown,
  ) => E.Either<OutputError, OperationOutputs[O]>;
} = {
  'enumerate-dependents': (operation, result) =>
    E.bimap(
      (errors: t.Errors) => invalid(operation, describeErrors(errors)),
      toEnumeration,
    )(EnumerationCodec.decode(result)),
  'set-service-credential': (operation, result) => {
    // A success document with a non-zero ReturnValue is still a failure:
    // Win32_Service.Change reports only through that value.
    const returned = t.type({ ReturnValue: t.number }).decode(result);
    if (E.isRight(returned) && returned.right.ReturnValue !== 0) {
      const value = returned.right.ReturnValue;

      return E.left(
        remoteFailed(operation, {
          code: value,
          name: serviceReturnName(value),
          message: `Win32_Service.Change returned ${value}`,
        }),
      );
    }

    return E.right(undefined);
  },
  'restart-service': (operation, result) =>
    E.bimap(
      (errors: t.Errors) => invalid(operation, describeErrors(errors)),
      (raw: { DependentsRestarted: string[] }) => ({
        dependentsRestarted: raw.DependentsRestarted,
      }),
    )(t.type({ DependentsRestarted: listOf(t.string) }).decode(result)),
  'set-task-credential': () => E.right(undefined),
  'set-apppool-credential': () => E.right(undefined),
  'recycle-apppool': (operation, result) =>
    E.bimap(
      (errors: t.Errors) => invalid(operation, describeErrors(errors)),
      (raw: { Recycled: boolean }) => ({ recycled: raw.Recycled }),
    )(RawRecycleResultCodec.decode(result)),
  'change-local-password': () => E.right(undefined),
  'change-domain-password': () => E.right(undefined),
  'test-logon': () => E.right(undefined),
};

/**
 * What is expected of a run's output. `nonce` is the one its input
 * carried (see `remoteCommand`): an envelope that does not echo it, or
 * has none, is refused as `NonceMismatch`.
 *
 * @category model
 */
export interface OutputExpectation {
  readonly nonce?: string;
}

/**
 * Decodes what a host printed for an operation. The envelope is found
 * through the stdout markers (`readStdout`), so noise before it or after
 * `##rotor END` is ignored; output of the older, marker-less form still
 * decodes. Failures, in order of precedence: a `##rotor LANGMODE` other
 * than FullLanguage (`ConstrainedLanguage`, W24); an envelope without the
 * expected nonce (`NonceMismatch`, W21); the script's error document; error records on stderr (even
 * with exit code 0, and whatever stdout says); no document with a non-zero
 * exit (stderr's text, classified); a success document with a non-zero
 * exit; then output that is not the operation's shape. Total: no input
 * makes it throw.
 *
 * @category utils
 */
export const decodeOutput = <O extends OperationName>(
  operation: O,
  output: RemoteResult,
  expected: OutputExpectation = {},
): E.Either<OutputError, OperationOutputs[O]> => {
  const stderr = readStderr(
    typeof output.stderr === 'string' ? output.stderr : '',
  );
  const report = readStdout(
    typeof output.stdout === 'string' ? output.stdout : '',
  );
  const mode = report.languageMode;
  if (mode !== undefined && mode !== 'FullLanguage') {
    return E.left(
      remoteFailed(operation, {
        code: -1,
        name: 'ConstrainedLanguage',
        message: `PowerShell runs in ${short(mode).slice(0, 40)} mode: nothing was changed`,
      }),
    );
  }
  const document = report.document;
  const envelope = EnvelopeCodec.decode(document);
  if (
    E.isRight(envelope) &&
    expected.nonce !== undefined &&
    envelope.right.nonce !== expected.nonce
  ) {
    return E.left({ _tag: 'NonceMismatch', operation, begun: report.begun });
  }
  if (E.isRight(envelope) && !envelope.right.ok) {
    return E.left(remoteFailed(operation, envelope.right.error));
  }
  const firstError = stderr.errors[0];
  if (firstError !== undefined) {
    const text = stderr.errors.join('');

    return E.left(
      remoteFailed(operation, {
        code: -1,
        name: classifyHostError(text),
        message: short(firstError),
      }),
    );
  }
  if (E.isLeft(envelope)) {
    if (output.exitCode !== 0) {
      return E.left(
        remoteFailed(operation, {
          code: -1,
          name: classifyHostError(stderr.plain),
          message:
            stderr.plain === ''
              ? `exit code ${output.exitCode} without a result document`
              : `exit code ${output.exitCode}: ${short(stderr.plain)}`,
        }),
      );
    }
    const reason =
      document === undefined
        ? 'stdout is empty'
        : document === null
          ? 'stdout is not one JSON document'
          : `not a result document (${describeErrors(envelope.left)})`;

    return E.left(invalid(operation, reason));
  }
  if (output.exitCode !== 0) {
    return E.left(
      remoteFailed(operation, {
        code: -1,
        name: 'NonZeroExit',
        message: `exit code ${output.exitCode} after a success document`,
      }),
    );
  }
  const decodeResult = resultDecoders[operation] as (
    operation: O,
    result: unknown,
  ) => E.Either<OutputError, OperationOutputs[O]>;

  const result = 'result' in envelope.right ? envelope.right.result : undefined;

  return decodeResult(operation, result);
};
