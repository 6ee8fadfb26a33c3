import type { TransportError } from '@rotor/core';

/**
 * A transport error for one machine. Whether it is transient follows from
 * the code, as the engine reads it: unreachable hosts, timeouts and lost
 * connections may succeed on retry; logon and host key refusals never do.
 *
 * @category constructors
 */
export const transportError = (
  code: TransportError['code'],
  machineUid: string,
  message: string,
  transient: boolean = code === 'Unreachable' || code === 'Timeout',
): TransportError => ({
  _tag: 'TransportError',
  code,
  machineUid,
  message,
  transient,
});

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

interface SshLibraryError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly level?: unknown;
}

/**
 * Classifies an error raised by ssh2 while connecting. Socket and DNS
 * failures are `Unreachable`, a refused logon is `LogonRefused`, a
 * handshake that does not finish in time is `Timeout`, the rest is
 * `ProtocolError`. The text is ssh2's, which never carries credentials.
 *
 * @category utils
 */
export const classifyConnectError = (
  error: unknown,
  machineUid: string,
  where: string,
): TransportError => {
  const e: SshLibraryError =
    typeof error === 'object' && error !== null ? error : {};
  const text = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const level = typeof e.level === 'string' ? e.level : undefined;
  if (
    (code !== undefined && unreachableCodes.has(code)) ||
    level === 'client-dns'
  ) {
    return transportError(
      'Unreachable',
      machineUid,
      `cannot reach ${where}: ${text}`,
    );
  }
  if (level === 'client-authentication') {
    return transportError(
      'LogonRefused',
      machineUid,
      `${where} refused the logon: ${text}`,
    );
  }
  if (level === 'client-timeout') {
    return transportError(
      'Timeout',
      machineUid,
      `${where} did not complete the SSH handshake in time: ${text}`,
    );
  }

  return transportError(
    'ProtocolError',
    machineUid,
    `SSH with ${where} failed: ${text}`,
  );
};
