import * as t from 'io-ts';

/**
 * A failure as recorded in an event: a stable code (`Unreachable`,
 * `LogonRefused`, `ERROR_SERVICE_LOGON_FAILED`, …), a short message that
 * never holds a secret, whether retrying could help, and the Windows error
 * number where there is one.
 *
 * @category codecs
 */
export const FailureCodec = t.intersection(
  [
    t.type({ code: t.string, message: t.string, transient: t.boolean }),
    t.partial({ windowsCode: t.number }),
  ],
  'Failure',
);

/** @category model */
export type Failure = t.TypeOf<typeof FailureCodec>;

/**
 * Builds a {@link Failure}.
 *
 * @category constructors
 */
export const failure = (
  code: string,
  message: string,
  options: { readonly transient?: boolean; readonly windowsCode?: number } = {},
): Failure => ({
  code,
  message,
  transient: options.transient ?? false,
  ...(options.windowsCode === undefined
    ? {}
    : { windowsCode: options.windowsCode }),
});
