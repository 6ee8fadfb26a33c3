/**
 * Names for the numbers Windows reports: Win32 errors (also inside an
 * HRESULT of the Win32 facility, `0x8007xxxx`) and the return values of the
 * Win32_Service methods, which are a table of their own.
 *
 * @packageDocumentation
 */

/**
 * The Win32 errors rotor reports, by number. The PowerShell prelude keeps
 * the same table (a test checks that they agree).
 *
 * @category model
 */
export const win32ErrorNames: Readonly<Record<number, string>> = {
  2: 'ERROR_FILE_NOT_FOUND',
  5: 'ERROR_ACCESS_DENIED',
  87: 'ERROR_INVALID_PARAMETER',
  1051: 'ERROR_DEPENDENT_SERVICES_RUNNING',
  1053: 'ERROR_SERVICE_REQUEST_TIMEOUT',
  1056: 'ERROR_SERVICE_ALREADY_RUNNING',
  1057: 'ERROR_INVALID_SERVICE_ACCOUNT',
  1058: 'ERROR_SERVICE_DISABLED',
  1060: 'ERROR_SERVICE_DOES_NOT_EXIST',
  1061: 'ERROR_SERVICE_CANNOT_ACCEPT_CTRL',
  1062: 'ERROR_SERVICE_NOT_ACTIVE',
  1067: 'ERROR_PROCESS_ABORTED',
  1068: 'ERROR_SERVICE_DEPENDENCY_FAIL',
  1069: 'ERROR_SERVICE_LOGON_FAILED',
  1072: 'ERROR_SERVICE_MARKED_FOR_DELETE',
  1079: 'ERROR_DIFFERENT_SERVICE_ACCOUNT',
  1312: 'ERROR_NO_SUCH_LOGON_SESSION',
  1317: 'ERROR_NO_SUCH_USER',
  1323: 'ERROR_WRONG_PASSWORD',
  1325: 'ERROR_PASSWORD_RESTRICTION',
  1326: 'ERROR_LOGON_FAILURE',
  1327: 'ERROR_ACCOUNT_RESTRICTION',
  1328: 'ERROR_INVALID_LOGON_HOURS',
  1329: 'ERROR_INVALID_WORKSTATION',
  1330: 'ERROR_PASSWORD_EXPIRED',
  1331: 'ERROR_ACCOUNT_DISABLED',
  1332: 'ERROR_NONE_MAPPED',
  1385: 'ERROR_LOGON_TYPE_NOT_GRANTED',
  1907: 'ERROR_PASSWORD_MUST_CHANGE',
  1909: 'ERROR_ACCOUNT_LOCKED_OUT',
  2221: 'NERR_UserNotFound',
  2245: 'NERR_PasswordTooShort',
};

/**
 * The return values of Win32_Service methods (`Change`, `StartService`,
 * …), which are not Win32 errors: 2 is AccessDenied here, not
 * ERROR_FILE_NOT_FOUND.
 *
 * @category model
 */
export const serviceReturnNames: Readonly<Record<number, string>> = {
  0: 'Success',
  1: 'NotSupported',
  2: 'AccessDenied',
  3: 'DependentServicesRunning',
  4: 'InvalidServiceControl',
  5: 'ServiceCannotAcceptControl',
  6: 'ServiceNotActive',
  7: 'ServiceRequestTimeout',
  8: 'UnknownFailure',
  9: 'PathNotFound',
  10: 'ServiceAlreadyRunning',
  11: 'ServiceDatabaseLocked',
  12: 'ServiceDependencyDeleted',
  13: 'ServiceDependencyFailure',
  14: 'ServiceDisabled',
  15: 'ServiceLogonFailed',
  16: 'MarkedForDeletion',
  17: 'ServiceNoThread',
  18: 'CircularDependency',
  19: 'DuplicateName',
  20: 'InvalidName',
  21: 'InvalidParameter',
  22: 'InvalidServiceAccount',
  23: 'ServiceExists',
  24: 'ServiceAlreadyPaused',
};

/**
 * The Win32 error inside a number that may be an HRESULT of the Win32
 * facility, signed (`-2147023584`) or not (`0x80070520`); other numbers are
 * returned as they are.
 *
 * @category utils
 */
export const win32CodeOf = (code: number): number => {
  const unsigned = code < 0 ? code + 2 ** 32 : code;

  return Math.floor(unsigned / 0x10000) === 0x8007 ? unsigned % 0x10000 : code;
};

/**
 * The symbolic name of a Win32 error or Win32-facility HRESULT, or
 * `WIN32_<n>` when rotor has no name for it.
 *
 * @category utils
 */
export const win32ErrorName = (code: number): string =>
  win32ErrorNames[win32CodeOf(code)] ?? `WIN32_${code}`;

/**
 * The name of a Win32_Service method return value, or `UnknownReturnValue`.
 *
 * @category utils
 */
export const serviceReturnName = (value: number): string =>
  serviceReturnNames[value] ?? 'UnknownReturnValue';

/**
 * What a refused logon says about the password. `proven` is true when
 * Windows reports that reason only after accepting the password, false
 * when the password was wrong, and `unknown` otherwise. Only `WrongPassword`
 * and unknown reasons should spend a lockout budget.
 *
 * @category model
 */
export interface LogonFailureClass {
  readonly class:
    | 'WrongPassword'
    | 'MustChangePasswordAtNextLogon'
    | 'PasswordExpired'
    | 'LogonHoursRestriction'
    | 'WorkstationRestriction'
    | 'LogonRightMissing'
    | 'AccountDisabled'
    | 'AccountLockedOut'
    | 'LogonFailedUnknownReason';
  readonly passwordProven: boolean | 'unknown';
  readonly countsAsBadPassword: boolean;
}

const logonClasses: Readonly<Record<number, LogonFailureClass>> = {
  1326: {
    class: 'WrongPassword',
    passwordProven: false,
    countsAsBadPassword: true,
  },
  1323: {
    class: 'WrongPassword',
    passwordProven: false,
    countsAsBadPassword: true,
  },
  1907: {
    class: 'MustChangePasswordAtNextLogon',
    passwordProven: true,
    countsAsBadPassword: false,
  },
  1330: {
    class: 'PasswordExpired',
    passwordProven: true,
    countsAsBadPassword: false,
  },
  1328: {
    class: 'LogonHoursRestriction',
    passwordProven: true,
    countsAsBadPassword: false,
  },
  1329: {
    class: 'WorkstationRestriction',
    passwordProven: true,
    countsAsBadPassword: false,
  },
  1385: {
    class: 'LogonRightMissing',
    passwordProven: true,
    countsAsBadPassword: false,
  },
  1331: {
    class: 'AccountDisabled',
    passwordProven: 'unknown',
    countsAsBadPassword: false,
  },
  1909: {
    class: 'AccountLockedOut',
    passwordProven: 'unknown',
    countsAsBadPassword: false,
  },
};

/**
 * Classifies a logon failure by its Win32 error (or Win32-facility
 * HRESULT, as task registration returns it). A 1069 whose underlying error
 * is unknown, and any code not listed, is `LogonFailedUnknownReason`.
 *
 * @category utils
 */
export const classifyLogonFailure = (code: number): LogonFailureClass =>
  logonClasses[win32CodeOf(code)] ?? {
    class: 'LogonFailedUnknownReason',
    passwordProven: 'unknown',
    countsAsBadPassword: true,
  };
