import * as t from 'io-ts';

/**
 * A failure as recorded in an event: a stable code (`Unreachable`,
 * `LogonRefused`, `ERROR_SERVICE_LOGON_FAILED`, …), a short message that
 * never holds a secret, whether retrying could help, and the Windows error
 * number where there is one. `underlyingCode` (optional, added for W29) is
 * the Win32 logon error behind a service logon failure (1069) when the
 * host names it (1326 wrong password, 1907 must change, 1385 logon right
 * missing, …), so that a lockout budget can tell a wrong password from a
 * password the failure proves right.
 *
 * @category codecs
 */
export const FailureCodec = t.intersection(
  [
    t.type({ code: t.string, message: t.string, transient: t.boolean }),
    t.partial({ windowsCode: t.number, underlyingCode: t.number }),
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
  options: {
    readonly transient?: boolean;
    readonly windowsCode?: number;
    readonly underlyingCode?: number;
  } = {},
): Failure => ({
  code,
  message,
  transient: options.transient ?? false,
  ...(options.windowsCode === undefined
    ? {}
    : { windowsCode: options.windowsCode }),
  ...(options.underlyingCode === undefined
    ? {}
    : { underlyingCode: options.underlyingCode }),
});
