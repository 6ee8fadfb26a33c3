import type { Either } from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import type {
  Dependent,
  DependentKind,
  HostFacts,
  ServiceDependent,
} from './dependent.js';
import type { Failure } from './failure.js';
import type { Machine, User } from './records.js';
import type { Secret } from './secret.js';
import type { Uid } from './uid.js';

// ---------------------------------------------------------------------------
// Event store
// ---------------------------------------------------------------------------

/**
 * An event as written: its type and its data. The data must be plain JSON.
 *
 * @category ports
 */
export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * An event as stored: where it sits in its stream (`revision`, from 0) and
 * in the store's global order (`position`, increasing, never reused).
 *
 * @category ports
 */
export interface RecordedEvent {
  readonly stream: string;
  readonly revision: number;
  readonly position: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: string;
}

/**
 * What the writer believes about a stream: its last revision, that it does
 * not exist, that it exists, or anything.
 *
 * @category ports
 */
export type ExpectedRevision = number | 'no-stream' | 'stream-exists' | 'any';

/** The outcome of an append that succeeded. @category ports */
export interface AppendResult {
  /** The revision of the last event written. */
  readonly revision: number;
  /** The global position of the last event written. */
  readonly position: bigint;
}

/**
 * Why a store refused or failed an operation. `WrongExpectedRevision` means
 * another writer got there first; nothing of the append was written.
 *
 * @category ports
 */
export type StoreError =
  | {
      readonly _tag: 'WrongExpectedRevision';
      readonly stream: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no-stream';
    }
  | { readonly _tag: 'StoreUnavailable'; readonly message: string }
  | { readonly _tag: 'StoreFailed'; readonly message: string };

/** Where a global read starts, and which streams it keeps. @category ports */
export interface ReadAllOptions {
  /** Events strictly after this position; from the start when absent. */
  readonly after?: bigint;
  /** Keep only streams whose name starts with one of these. */
  readonly streamPrefixes?: ReadonlyArray<string>;
}

/**
 * The event store port. Appends are atomic: all events or none. Reads
 * return events in order; `follow` first replays what is stored after the
 * given position, then emits new events as they are committed, and never
 * skips one.
 *
 * @category ports
 */
export interface EventStore {
  /**
   * Appends `events` to `stream` if its last revision is what `expected`
   * says, all or nothing. Resolves to the revision and global position of the
   * last event written, or to a {@link StoreError}: `WrongExpectedRevision`
   * (another writer got there first; nothing was written) or an outage. It
   * never rejects for a domain reason.
   */
  readonly append: (
    stream: string,
    events: ReadonlyArray<NewEvent>,
    expected: ExpectedRevision,
  ) => Promise<Either<StoreError, AppendResult>>;
  /**
   * The events of one stream in revision order, from `fromRevision` (0 when
   * absent). A stream that does not exist yields nothing.
   */
  readonly readStream: (
    stream: string,
    options?: { readonly fromRevision?: number },
  ) => AsyncIterable<RecordedEvent>;
  /**
   * Every stored event in global order, after `options.after` and in the
   * streams `options.streamPrefixes` names. Ends at the last event stored when
   * it was called.
   */
  readonly readAll: (options?: ReadAllOptions) => AsyncIterable<RecordedEvent>;
  /**
   * What `readAll` returns, then each event as it is committed, in global
   * order, never skipping one. Emitting starts on subscription; the
   * Observable completes when the store is closed.
   */
  readonly follow: (options?: ReadAllOptions) => Observable<RecordedEvent>;
  /**
   * Releases the store's connections; later appends fail with
   * `StoreUnavailable` and followers complete.
   */
  readonly close: () => Promise<void>;
}

// ---------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------

/**
 * One PowerShell operation to run on a host: its name (for logs), the
 * script text, and its input as ASCII JSON text. The input goes on stdin,
 * never on a command line.
 *
 * @category ports
 */
export interface RemoteCommand {
  readonly operation: string;
  readonly script: string;
  readonly input: string;
}

/** What a host printed and its exit code. @category ports */
export interface RemoteResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Why a transport could not run a command. `transient` says whether a retry
 * may succeed (unreachable, timeout) or not (logon refused, key mismatch).
 *
 * @category ports
 */
export interface TransportError {
  readonly _tag: 'TransportError';
  readonly code:
    | 'Unreachable'
    | 'LogonRefused'
    | 'HostKeyMismatch'
    | 'TlsMismatch'
    | 'Timeout'
    | 'OutputTooLarge'
    | 'CommandRefused'
    | 'ProtocolError';
  readonly machineUid: string;
  readonly message: string;
  readonly transient: boolean;
}

/** Per-command options. @category ports */
export interface RunOptions {
  readonly timeoutMs: number;
}

/**
 * Runs PowerShell operations on machines. An implementation keeps one
 * connection or shell per machine for all of a job's steps and releases
 * them on `close`.
 *
 * @category ports
 */
export interface Transport {
  /**
   * Runs `command` on `machine` within `options.timeoutMs`, sending
   * `command.input` on stdin. Resolves to what the host printed and its exit
   * code (a non-zero exit is still a `Right`: the operation's envelope says
   * what failed), or to a {@link TransportError} when the command could not be
   * run. Never rejects.
   */
  readonly run: (
    machine: Machine,
    command: RemoteCommand,
    options: RunOptions,
  ) => Promise<Either<TransportError, RemoteResult>>;
  /**
   * Closes every connection or shell the transport holds. Safe to call more
   * than once.
   */
  readonly close: () => Promise<void>;
}

// ---------------------------------------------------------------------------
// Host operations (implemented by @rotor/windows over a Transport)
// ---------------------------------------------------------------------------

/**
 * Why a host operation failed: the machine could not be worked on at all
 * (`MachineUnusable`: the transport failed), or the operation ran and
 * Windows refused it (`OperationFailed`, with the Windows code).
 *
 * @category ports
 */
export type HostError =
  | { readonly _tag: 'MachineUnusable'; readonly failure: Failure }
  | { readonly _tag: 'OperationFailed'; readonly failure: Failure };

/** The dependents of one account on a host. @category ports */
export interface HostSnapshot {
  readonly host: HostFacts;
  readonly dependents: ReadonlyArray<Dependent>;
}

/** What a service restart did. @category ports */
export interface RestartOutcome {
  /** Dependent services that were running and were started again. */
  readonly dependentsRestarted: ReadonlyArray<string>;
}

/**
 * The Windows operations the engine needs, each run on one machine.
 * `enumerate` returns only the dependents that run as `user`, of the given
 * kinds; built-in, virtual and gMSA accounts are never among them.
 *
 * @category ports
 */
export interface HostOperations {
  /**
   * Lists the dependents on `machine` of the given kinds that log on as
   * `user` and hold its password, with facts about the host.
   */
  readonly enumerate: (
    machine: Machine,
    user: User,
    kinds: ReadonlyArray<DependentKind>,
  ) => Promise<Either<HostError, HostSnapshot>>;
  /**
   * Writes `password` into one dependent (service, task or app pool), after
   * the host checks that it still runs as the account named. Restarts
   * nothing.
   */
  readonly setCredential: (
    machine: Machine,
    dependent: Dependent,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
  /**
   * Restarts a running service and the dependent services that were running,
   * waiting for each to reach its state. Never starts a stopped service.
   */
  readonly restartService: (
    machine: Machine,
    service: ServiceDependent,
  ) => Promise<Either<HostError, RestartOutcome>>;
  /**
   * Recycles the IIS application pool named `pool` so that its workers log on
   * with the new password.
   */
  readonly recycleAppPool: (
    machine: Machine,
    pool: string,
  ) => Promise<Either<HostError, void>>;
  /**
   * Changes `user`'s password to `password` on `machine`: the account's own
   * machine for a local account, a domain member or controller for a domain
   * one.
   */
  readonly changeAccountPassword: (
    machine: Machine,
    user: User,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
  /**
   * Checks that `user` can log on with `password` on `machine`; a refusal is an
   * `OperationFailed` with the Windows logon error.
   */
  readonly testLogon: (
    machine: Machine,
    user: User,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
  /** Closes the transport underneath. */
  readonly close: () => Promise<void>;
}

// ---------------------------------------------------------------------------
// Secrets and accounts
// ---------------------------------------------------------------------------

/** A password and its version in the secret store. @category ports */
export interface SecretVersion {
  readonly version: number;
  readonly password: Secret;
}

/** Why the secret store failed. @category ports */
export interface SecretStoreError {
  readonly _tag: 'SecretStoreError';
  readonly code: 'NotFound' | 'Unavailable' | 'Corrupt';
  readonly message: string;
}

/**
 * Keeps each user's password versions. A new password is staged (tagged
 * with the job that made it) before the account is changed, and promoted to
 * current after, so a crash at any moment leaves the password the account
 * has recoverable.
 *
 * @category ports
 */
export interface SecretStore {
  /**
   * The user's current password and its version; `NotFound` when the store
   * has none for that user.
   */
  readonly current: (
    userUid: string,
  ) => Promise<Either<SecretStoreError, SecretVersion>>;
  /**
   * One version of the user's password; `NotFound` when there is no such
   * version.
   */
  readonly get: (
    userUid: string,
    version: number,
  ) => Promise<Either<SecretStoreError, Secret>>;
  /**
   * Stores a new version tagged with `jobId`, without making it current, and
   * resolves to its version number.
   */
  readonly stage: (
    userUid: string,
    password: Secret,
    jobId: string,
  ) => Promise<Either<SecretStoreError, SecretVersion>>;
  /**
   * The latest version `jobId` staged for the user, promoted or not (so a job
   * resumed after promotion finds its password), or `undefined`.
   */
  readonly staged: (
    userUid: string,
    jobId: string,
  ) => Promise<Either<SecretStoreError, SecretVersion | undefined>>;
  /**
   * Makes `version` the user's current password; `NotFound` when there is no
   * such version.
   */
  readonly promote: (
    userUid: string,
    version: number,
  ) => Promise<Either<SecretStoreError, void>>;
}

/**
 * Changes an account's own password: in the directory for a domain account,
 * on its machine for a local one.
 *
 * @category ports
 */
export interface AccountRotator {
  /**
   * Changes the account's password to `next`. `current` is the password the
   * secret store holds, for rotators that change it as the account itself.
   * Must accept setting the same `next` twice (a resumed job does). A refusal
   * is a {@link Failure}; `transient` says whether a retry may succeed.
   */
  readonly change: (
    user: User,
    next: Secret,
    current: Secret | undefined,
  ) => Promise<Either<Failure, void>>;
}

// ---------------------------------------------------------------------------
// Ambient effects
// ---------------------------------------------------------------------------

/** The time, as an input. @category ports */
export interface Clock {
  /** The current time. */
  readonly now: () => Date;
}

/** New identifiers. @category ports */
export interface Ids {
  /** A new, unique {@link Uid}. */
  readonly newUid: () => Uid;
}

/** Random bytes for passwords and ids. @category ports */
export interface RandomSource {
  /** `n` bytes from a cryptographically secure source. */
  readonly bytes: (n: number) => Uint8Array;
}

/** Attributes of a log record: identifiers and counters, never payloads. */
export type LogAttributes = Readonly<
  Record<string, string | number | boolean | undefined>
>;

/**
 * Where the library reports what it does. Each record is a stable name
 * (`engine.step.retrying`) and attributes; the default discards everything.
 *
 * @category ports
 */
export interface Logger {
  /** Detail for whoever debugs a run. */
  readonly debug: (name: string, attributes?: LogAttributes) => void;
  /** A step done or started. */
  readonly info: (name: string, attributes?: LogAttributes) => void;
  /** Something went wrong and was handled (a retry, a skip). */
  readonly warn: (name: string, attributes?: LogAttributes) => void;
  /** Something failed that the caller should see. */
  readonly error: (name: string, attributes?: LogAttributes) => void;
}

/** A logger that drops every record. @category constructors */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
