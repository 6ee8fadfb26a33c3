import type { Logger, Machine, Secret } from '@rotor/core';
import type { Either } from 'fp-ts/lib/Either.js';

/**
 * How the transport logs on to a machine over WinRM: `negotiate` (NTLMv2
 * inside `Negotiate`, the default, for local and domain accounts) or
 * `basic` (local accounts only, and only when the listener allows it).
 * `username` may be `DOMAIN\user`, `user@domain` or a bare local name.
 *
 * @category model
 */
export interface WinrmCredentials {
  readonly username: string;
  readonly password: Secret;
  readonly authentication?: 'negotiate' | 'basic';
}

/**
 * Why credentials could not be had. `transient` marks a store that may
 * answer on retry; otherwise the failure is permanent.
 *
 * @category model
 */
export interface CredentialsFailure {
  readonly message: string;
  readonly transient?: boolean;
}

/** Finds the credentials for a machine. @category model */
export type CredentialsResolver = (
  machine: Machine,
) => Promise<Either<CredentialsFailure, WinrmCredentials>>;

/**
 * Options of {@link createWinrmTransport}. Times are in milliseconds. The
 * machine's `trust` says how its certificate is checked: `caFile`,
 * `certificateFingerprint` (SHA-256, hex with or without colons), the
 * system CAs when neither is set, or no check at all with
 * `insecureSkipVerify: true` (logged as a warning on every connection).
 *
 * @category model
 */
export interface WinrmTransportOptions {
  readonly credentials: CredentialsResolver;
  /** Limit for TCP connect plus TLS handshake. Default 15 000. */
  readonly connectTimeoutMs?: number;
  /** `w:OperationTimeout` of each Receive (how long the host may hold it). Default 20 000. */
  readonly operationTimeoutMs?: number;
  /** HTTP read time-out beyond the operation time-out. Default 10 000. */
  readonly readMarginMs?: number;
  /** A shell with no command for this long is deleted. Default 30 000. */
  readonly idleCloseMs?: number;
  /** Cap on stdout plus stderr of one command, in bytes. Default 16 MiB. */
  readonly maxOutputBytes?: number;
  /** `w:MaxEnvelopeSize`: the largest reply accepted, in bytes. Default 153 600. */
  readonly maxEnvelopeSize?: number;
  /** Path of the WS-Management endpoint. Default `/wsman`. */
  readonly path?: string;
  readonly logger?: Logger;
}

/** The options with every default filled in. @category model */
export type ResolvedWinrmOptions = Required<WinrmTransportOptions>;
