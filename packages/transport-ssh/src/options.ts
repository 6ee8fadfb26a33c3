import type { Logger, Machine, Secret } from '@rotor/core';
import type { Either } from 'fp-ts/lib/Either.js';

/**
 * How the transport logs on to a machine: the admin user's name and a
 * password, a private key (OpenSSH or PEM text), or both (the key is tried
 * first). `passphrase` unlocks an encrypted key.
 *
 * @category model
 */
export interface SshCredentials {
  readonly username: string;
  readonly password?: Secret;
  readonly privateKey?: string | Buffer;
  readonly passphrase?: Secret;
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

/**
 * Finds the credentials for a machine (its admin user's login and secret).
 *
 * @category model
 */
export type CredentialsResolver = (
  machine: Machine,
) => Promise<Either<CredentialsFailure, SshCredentials>>;

/**
 * Options of {@link createSshTransport}. Times are in milliseconds.
 *
 * @category model
 */
export interface SshTransportOptions {
  readonly credentials: CredentialsResolver;
  /** Limit for TCP connect plus SSH handshake and logon. Default 15 000. */
  readonly connectTimeoutMs?: number;
  /** Keepalive interval on an open connection; 0 turns it off. Default 15 000. */
  readonly keepaliveIntervalMs?: number;
  /** A connection with no command for this long is closed. Default 30 000. */
  readonly idleCloseMs?: number;
  /** Cap on stdout plus stderr of one command, in bytes. Default 16 MiB. */
  readonly maxOutputBytes?: number;
  /** Commands run at once on one connection (below sshd's MaxSessions). Default 4. */
  readonly maxChannelsPerConnection?: number;
  readonly logger?: Logger;
}

/** The options with every default filled in. @category model */
export type ResolvedSshOptions = Required<SshTransportOptions>;
