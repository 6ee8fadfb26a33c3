import type { Logger, Machine, Secret } from '@rotor/core';
import type { Either } from 'fp-ts/lib/Either.js';

/**
 * How Kerberos gets its ticket and names the service. With neither
 * `ccache` nor `keytab`, the user's password is turned into a ticket by
 * `kinit` (the password on its stdin, never on a command line) into a
 * private credential cache in a temporary folder (mode 0700), deleted with
 * the connection.
 *
 * @category model
 */
export interface KerberosSettings {
  /**
   * The realm, as the KDC spells it (upper case). Default: the part after
   * `@` in `username`, upper-cased, else the `DOMAIN` of `DOMAIN\user`.
   */
  readonly realm?: string;
  /**
   * The service as a GSS host-based name, `HTTP@host` or `WSMAN@host`.
   * Default `HTTP@<machine.host>`: set it when the machine is reached by
   * an address but its SPN names its DNS name.
   */
  readonly servicePrincipal?: string;
  /** An existing credential cache (`FILE:/tmp/krb5cc_1000`): no kinit. */
  readonly ccache?: string;
  /** A client keytab for the user: `kinit -k -t` instead of the password. */
  readonly keytab?: string;
  /** A krb5.conf, given to kinit and the GSS library as `KRB5_CONFIG`. */
  readonly config?: string;
  /** The kinit program. Default `kinit` found in /usr/bin, /bin, /usr/local/bin. */
  readonly kinit?: string;
}

/**
 * How the transport logs on to a machine over WinRM:
 * - `kerberos`: SPNEGO with a Kerberos ticket only (domain accounts), the
 *   server's reply token checked (mutual authentication);
 * - `negotiate` (default): NTLMv2 inside `Negotiate`, for local and
 *   domain accounts; when `kerberos` settings are given, Kerberos first,
 *   and NTLM only when no ticket could be had for a reason other than a
 *   refused password (no `kerberos` module, no KDC reachable, unknown
 *   SPN): a password the KDC refused is not tried again over NTLM, so one
 *   wrong password counts once towards a lockout;
 * - `basic`: local accounts only, and only when the listener allows it.
 * `username` may be `DOMAIN\user`, `user@domain` or a bare local name.
 * `password` is not used when `kerberos.ccache` or `kerberos.keytab` is set.
 *
 * @category model
 */
export interface WinrmCredentials {
  readonly username: string;
  readonly password: Secret;
  readonly authentication?: 'kerberos' | 'negotiate' | 'basic';
  readonly kerberos?: KerberosSettings;
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
