import { failure, type Failure, type Secret } from '@rotor/core';
import { asciiJson } from './bootstrap.js';
import { classifyLogonFailure, win32CodeOf, win32ErrorName } from './codes.js';
import type { OutputError } from './decode.js';

const logonCodes = new Set([
  1069, 1326, 1323, 1328, 1329, 1330, 1331, 1385, 1907, 1909,
]);

/**
 * The text with the password, and its JSON-escaped form, replaced by
 * `[secret]`.
 *
 * @category utils
 */
export const redact = (text: string, secret: Secret | undefined): string => {
  const value = secret?.reveal() ?? '';
  if (value === '') {
    return text;
  }
  const escaped = asciiJson(value).slice(1, -1);

  return text.split(value).join('[secret]').split(escaped).join('[secret]');
};

const logonDetail = (code: number, underlying: number | undefined): string => {
  if (underlying !== undefined) {
    const why = classifyLogonFailure(underlying);

    return ` (underlying ${win32ErrorName(underlying)} ${underlying}: ${why.class})`;
  }

  return logonCodes.has(win32CodeOf(code))
    ? ` (${classifyLogonFailure(code).class})`
    : '';
};

/**
 * The code of a remote failure: its Windows name, except where the same
 * Windows error means something more precise for the operation. A task
 * registration refused with ERROR_NO_SUCH_LOGON_SESSION (0x80070520) is a
 * host that does not store task passwords (DisableDomainCreds), not a
 * wrong password, and retrying does not help.
 */
const codeOf = (operation: string, code: number, name: string): string =>
  operation === 'set-task-credential' &&
  code !== -1 &&
  win32CodeOf(code) === 1312
    ? 'TaskCredentialStorageBlocked'
    : name;

/**
 * The {@link Failure} recorded for an operation's output error: the
 * Windows name as code, the number (a Win32 error, a Win32_Service return
 * value or a signed HRESULT) as `windowsCode` (failures numbered -1, rotor's
 * own refusals and host-level errors, carry none), the logon error behind a
 * 1069 as `underlyingCode` where the host named it (W29), and a message
 * cleared of the password. A logon failure's message names its class (see
 * {@link classifyLogonFailure}). An answer without this run's nonce is
 * `NonceMismatch` (W21).
 *
 * @category utils
 */
export const failureOfOutput = (
  error: OutputError,
  secret?: Secret,
): Failure => {
  if (error._tag === 'OutputInvalid') {
    return failure(
      'OutputInvalid',
      redact(`${error.operation}: ${error.reason}`, secret),
    );
  }
  if (error._tag === 'NonceMismatch') {
    return failure(
      'NonceMismatch',
      `${error.operation}: the answer does not echo this run's nonce; whether the host changed is unknown: enumerate before retrying`,
    );
  }
  const remote = error.error;
  const message = `${error.operation}: ${remote.message}${logonDetail(remote.code, remote.underlying)}`;

  return failure(
    codeOf(error.operation, remote.code, remote.name),
    redact(message, secret),
    {
      transient: remote.name === 'ServiceDatabaseLocked',
      ...(remote.code === -1 ? {} : { windowsCode: remote.code }),
      ...(remote.underlying === undefined
        ? {}
        : { underlyingCode: remote.underlying }),
    },
  );
};
