import type { TransportError } from '@rotor/core';

/**
 * A transport error for one machine. Unreachable hosts and time-outs are
 * transient by default; the caller says so for other codes.
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
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

const tlsCodes =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ROTOR_TLS_PIN/;

/**
 * Classifies an error raised while talking to a host over HTTPS. Socket
 * and DNS failures are `Unreachable`; certificate failures (chain, name,
 * pin) are `TlsMismatch` (permanent); our own time-outs are `Timeout`; the
 * rest is a transient `ProtocolError`. The text is Node's, which never
 * carries credentials.
 *
 * @category utils
 */
export const classifyHttpError = (
  error: unknown,
  machineUid: string,
  where: string,
): TransportError => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    readonly code?: unknown;
    readonly message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = typeof e.message === 'string' ? e.message : String(error);
  if (code === 'ROTOR_TIMEOUT') {
    return transportError('Timeout', machineUid, `${where}: ${text}`);
  }
  if (code !== undefined && tlsCodes.test(code)) {
    return transportError(
      'TlsMismatch',
      machineUid,
      `the certificate of ${where} was not accepted: ${text}`,
      false,
    );
  }
  if (code !== undefined && unreachableCodes.has(code)) {
    return transportError(
      'Unreachable',
      machineUid,
      `cannot reach ${where}: ${text}`,
    );
  }

  return transportError(
    'ProtocolError',
    machineUid,
    `HTTPS with ${where} failed: ${text}`,
    true,
  );
};
