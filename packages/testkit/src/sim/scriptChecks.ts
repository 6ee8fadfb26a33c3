import type { SimHost } from './simHost.js';
import { type WinError, scriptError, winError } from './windowsErrors.js';

/**
 * What the scripts check before they touch anything, mirrored so that the
 * simulated host answers as a real one running them would. Each gives the
 * error the script prints, or `undefined` when the check passes.
 *
 * @packageDocumentation
 */

const noPasswordPrefix = /^(NT SERVICE|IIS APPPOOL|NT VIRTUAL MACHINE)\\/i;

/**
 * Built-in, virtual and managed accounts never get a password (1057,
 * `AccountHasNoPassword`).
 *
 * @category testing
 */
export const passwordAccountCheck = (
  host: SimHost,
  account: string,
): WinError | undefined => {
  const kind = host.canonicalAccount(account).kind;
  const none =
    account.trim() === '' ||
    /^(\.\\)?LocalSystem$/i.test(account) ||
    noPasswordPrefix.test(account) ||
    /\$$/.test(account) ||
    account.includes('$@') ||
    kind === 'builtin' ||
    kind === 'virtual' ||
    kind === 'managed';

  return none
    ? scriptError(
        'AccountHasNoPassword',
        `account ${account} is built-in, virtual or managed: rotor never gives it a password`,
        1057,
      )
    : undefined;
};

/**
 * The dependent must still run as the account the caller named
 * (`AccountChanged`): equal as written, or the same account.
 *
 * @category testing
 */
export const sameAccountCheck = (
  host: SimHost,
  written: string | null,
  account: string,
  what: string,
): WinError | undefined =>
  written !== null &&
  written !== '' &&
  (written.toLowerCase() === account.toLowerCase() ||
    host.sameAccount(written, account))
    ? undefined
    : scriptError(
        'AccountChanged',
        `${what} no longer runs as ${account}; nothing was written`,
      );

/**
 * A name passed to a wildcard-aware cmdlet must be plain (87).
 *
 * @category testing
 */
export const plainNameCheck = (
  value: string,
  what: string,
): WinError | undefined =>
  value.trim() === '' || /[*?[\]]/.test(value)
    ? winError(
        'ERROR_INVALID_PARAMETER',
        `${what} is empty or holds a wildcard character`,
      )
    : undefined;

/**
 * An account name for a password change must be a plain user name (87).
 *
 * @category testing
 */
export const plainAccountCheck = (account: string): WinError | undefined =>
  account.trim() === '' ||
  /[\\/[\]:;|=,+*?<>"@]/.test(account) ||
  account.endsWith('$')
    ? winError(
        'ERROR_INVALID_PARAMETER',
        'the account is not a plain user name',
      )
    : undefined;

/**
 * A task path must be `\Folder\Name` or `\Name` (87).
 *
 * @category testing
 */
export const taskPathCheck = (path: string): WinError | undefined =>
  path.startsWith('\\') && !path.endsWith('\\')
    ? undefined
    : winError(
        'ERROR_INVALID_PARAMETER',
        `task path ${path} is not of the form \\Folder\\Name`,
      );
