/**
 * The Win32 errors the simulated host answers with, by symbolic name.
 *
 * @category testing
 */
export const winErrors = {
  ERROR_INVALID_FUNCTION: 1,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_DEPENDENT_SERVICES_RUNNING: 1051,
  ERROR_SERVICE_REQUEST_TIMEOUT: 1053,
  ERROR_SERVICE_ALREADY_RUNNING: 1056,
  ERROR_INVALID_SERVICE_ACCOUNT: 1057,
  ERROR_SERVICE_DISABLED: 1058,
  ERROR_SERVICE_DOES_NOT_EXIST: 1060,
  ERROR_SERVICE_CANNOT_ACCEPT_CTRL: 1061,
  ERROR_SERVICE_NOT_ACTIVE: 1062,
  ERROR_PROCESS_ABORTED: 1067,
  ERROR_SERVICE_DEPENDENCY_FAIL: 1068,
  ERROR_SERVICE_LOGON_FAILED: 1069,
  ERROR_NO_SUCH_LOGON_SESSION: 1312,
  ERROR_NO_SUCH_USER: 1317,
  ERROR_LOGON_FAILURE: 1326,
  ERROR_ACCOUNT_DISABLED: 1331,
  ERROR_NO_SUCH_DOMAIN: 1355,
  ERROR_ACCOUNT_LOCKED_OUT: 1909,
  NERR_UserNotFound: 2221,
} as const;

/** A symbolic Win32 error name the simulator knows. @category testing */
export type WinErrorName = keyof typeof winErrors;

/**
 * A Windows failure inside the simulator, shaped as the scripts report
 * it: the number (a Win32 error, an HRESULT as a signed 32-bit number, or
 * -1 for a condition a script names itself), the name, a message that
 * never holds a password, and for a service logon failure (1069) the
 * logon error behind it.
 *
 * @category testing
 */
export interface WinError {
  readonly _tag: 'WinError';
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly underlying?: number;
}

const facilityWin32 = 0x8007;

/**
 * The name a script gives a code, as its prelude does: an HRESULT of the
 * Win32 facility (0x8007xxxx) is named by its Win32 error; an unknown code
 * is `WIN32_<code>`.
 *
 * @category testing
 */
export const winErrorName = (code: number): string => {
  const unsigned = code < 0 ? code + 0x1_0000_0000 : code;
  const win32 =
    Math.floor(unsigned / 0x10000) === facilityWin32
      ? unsigned % 0x10000
      : code;
  const name = (Object.keys(winErrors) as WinErrorName[]).find(
    (n) => winErrors[n] === win32,
  );

  return name ?? `WIN32_${code}`;
};

/**
 * The HRESULT (signed, as PowerShell prints it) that wraps a Win32 error,
 * as COM interfaces such as Task Scheduler's and ADSI report them.
 *
 * @category testing
 */
export const hresultOf = (name: WinErrorName): number =>
  0x8007_0000 | winErrors[name] | 0;

/**
 * A Win32 error by name.
 *
 * @category testing
 */
export const winError = (
  name: WinErrorName,
  message: string,
  underlying?: number,
): WinError => ({
  _tag: 'WinError',
  code: winErrors[name],
  name,
  message,
  ...(underlying === undefined ? {} : { underlying }),
});

/**
 * A COM failure: the HRESULT of a Win32 error, named by that error.
 *
 * @category testing
 */
export const comError = (name: WinErrorName, message: string): WinError => ({
  _tag: 'WinError',
  code: hresultOf(name),
  name,
  message,
});

/**
 * A condition a script detects and names itself (`AccountChanged`,
 * `NoStoredPassword`, …), with code -1 unless given.
 *
 * @category testing
 */
export const scriptError = (
  name: string,
  message: string,
  code = -1,
): WinError => ({ _tag: 'WinError', code, name, message });
