import * as E from 'fp-ts/lib/Either.js';
import type { SimHost } from './simHost.js';
import {
  type WinError,
  comError,
  scriptError,
  winError,
} from './windowsErrors.js';

/**
 * Sets a local account's password on the host, as ADSI's `SetPassword`
 * does; a missing account is the HRESULT of NERR_UserNotFound.
 *
 * @category testing
 */
export const changeLocalPassword = (
  host: SimHost,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const found = host.localAccounts.get(account) !== undefined;
  const outcome = found
    ? host.localAccounts.setPassword(account, password)
    : E.left(
        comError(
          'NERR_UserNotFound',
          `setting the password of local account ${account}: not found`,
        ),
      );
  host.record('change-local-password', outcome, { account });

  return outcome;
};

/**
 * Resets a domain account's password through this host, which needs the
 * ActiveDirectory module and a domain (`ActiveDirectoryModuleMissing`);
 * an unknown account is 1317.
 *
 * @category testing
 */
export const changeDomainPassword = (
  host: SimHost,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const domain = host.domain;
  const outcome: E.Either<WinError, void> =
    domain === undefined || !host.activeDirectoryModule
      ? E.left(
          scriptError(
            'ActiveDirectoryModuleMissing',
            'the ActiveDirectory module is not available on this host',
          ),
        )
      : domain.accounts.get(account) === undefined
        ? E.left(
            winError(
              'ERROR_NO_SUCH_USER',
              `resetting the password of ${account}: no such account`,
            ),
          )
        : domain.setPassword(account, password);
  host.record('change-domain-password', outcome, { account });

  return outcome;
};

/**
 * Logs on as `account` (`DOMAIN\name`, `.\name`, any written form) with a
 * password, as `LogonUser` does: 1326 for a wrong one (counted), 1909
 * locked out, 1331 disabled.
 *
 * @category testing
 */
export const testLogon = (
  host: SimHost,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const outcome = host.logon(account, password);
  host.record('test-logon', outcome, { account });

  return outcome;
};
