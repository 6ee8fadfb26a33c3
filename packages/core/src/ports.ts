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
  /** The event's name, e.g. `PasswordChanged`. */
  readonly type: string;
  /** The event's payload, plain JSON that its codec decodes. */
  readonly data: unknown;
}

/**
 * An event as stored: where it sits in its stream (`revision`, from 0) and
 * in the store's global order (`position`, increasing, never reused).
 *
 * @category ports
 */
export interface RecordedEvent {
  /** The stream the event belongs to, e.g. `job-<jobId>`. */
  readonly stream: string;
  /** Its place in its stream, from 0, without gaps. */
  readonly revision: number;
  /** Its place in the store's global order: increasing, never reused. */
  readonly position: bigint;
  /** The event's name, e.g. `PasswordChanged`. */
  readonly type: string;
  /** The event's payload, as appended. */
  readonly data: unknown;
  /** When the store committed it, as an ISO 8601 timestamp. */
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
   * streams `options.streamPrefixes` names.
   */
  readonly readAll: (options?: ReadAllOptions) => AsyncIterable<RecordedEvent>;
  /**
   * What `readAll` returns, then each event as it is committed, in global
   * order, never skipping one. Emitting starts on subscription; the
   * Observable completes when the store is closed.
   *
   * @example
   * A dashboard's feed of one job (`examples/dashboard-events`):
   *
   * {@includeCode ../../../examples/dashboard-events/src/main.ts#follow}
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
  /** The operation's name, e.g. `restart-service`, for logs. */
  readonly operation: string;
  /** The PowerShell script's text, sent on stdin. */
  readonly script: string;
  /**
   * The operation's input as ASCII JSON text, sent on stdin after the script;
   * it may hold a password.
   */
  readonly input: string;
}

/** What a host printed and its exit code. @category ports */
export interface RemoteResult {
  /** What the host printed on stdout: the operation's JSON envelope. */
  readonly stdout: string;
  /** What the host printed on stderr. */
  readonly stderr: string;
  /**
   * The command's exit code: 0 for success, 1 for a failure the envelope
   * describes.
   */
  readonly exitCode: number;
}

/**
 * Why a transport could not run a command. `transient` says whether a retry
 * may succeed (unreachable, timeout) or not (logon refused, key mismatch).
 *
 * @category ports
 */
export interface TransportError {
  /** Tells a transport error apart from other tagged errors. */
  readonly _tag: 'TransportError';
  /** What went wrong, the same across transports. */
  readonly code:
    | 'Unreachable'
    | 'LogonRefused'
    | 'HostKeyMismatch'
    | 'TlsMismatch'
    | 'Timeout'
    | 'OutputTooLarge'
    | 'CommandRefused'
    | 'ProtocolError';
  /** The machine the command was for. */
  readonly machineUid: string;
  /** What happened, for people; it never holds a password. */
  readonly message: string;
  /** Whether the same command may succeed if tried again. */
  readonly transient: boolean;
}

/** Per-command options. @category ports */
export interface RunOptions {
  /**
   * The longest the command may take, in milliseconds; then it fails with
   * `Timeout`.
   */
  readonly timeoutMs: number;
}

/**
 * Runs PowerShell operations on machines. An implementation keeps one
 * connection or shell per machine for all of a job's steps and releases
 * them on `close`.
 *
 * @example
 * A transport of your own can wrap others, here choosing SSH or WinRM by
 * each machine's protocol (`examples/custom-gateway`; a jump host is in
 * `examples/custom-transport`):
 *
 * {@includeCode ../../../examples/custom-gateway/src/router.ts#byProtocol}
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
   * Closes every connection or shell the transport holds.
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
  /** Facts about the host: its names, domain, and what is installed. */
  readonly host: HostFacts;
  /** The services, tasks and app pools that run as the account. */
  readonly dependents: ReadonlyArray<Dependent>;
}

/** What a service restart did. @category ports */
export interface RestartOutcome {
  /** Dependent services that were running and were started again. */
  readonly dependentsRestarted: ReadonlyArray<string>;
}

/**
 * Optional context of a host operation that changes something (added).
 *
 * @category ports
 */
export interface HostCallOptions {
  /**
   * The job on whose behalf the change is made: the host names it in the
   * entry it writes to its Application event log (source `rotor`).
   */
  readonly jobId?: string;
}

/**
 * Options of `HostOperations.restartService` (added).
 *
 * @category ports
 */
export interface RestartOptions extends HostCallOptions {
  /**
   * The job's snapshot saw the service running, and rotor's own failed
   * restart may have left it stopped: start it even if it is stopped now,
   * then the dependent services the snapshot saw running that are
   * stopped. Without it a stopped service is refused
   * (`ERROR_SERVICE_NOT_ACTIVE`) and nothing is started.
   */
  readonly startIfStopped?: boolean;
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
    options?: HostCallOptions,
  ) => Promise<Either<HostError, void>>;
  /**
   * Restarts a service and those of its dependent services that were
   * running, waiting for each to reach its state. The engine calls it only
   * for a service that was running.
   */
  readonly restartService: (
    machine: Machine,
    service: ServiceDependent,
    options?: RestartOptions,
  ) => Promise<Either<HostError, RestartOutcome>>;
  /**
   * Recycles the IIS application pool named `pool` so that its workers log on
   * with the new password.
   */
  readonly recycleAppPool: (
    machine: Machine,
    pool: string,
    options?: HostCallOptions,
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
    options?: HostCallOptions,
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
  /** The version's number, from 1, per user. */
  readonly version: number;
  /** The password itself. */
  readonly password: Secret;
}

/** Why the secret store failed. @category ports */
export interface SecretStoreError {
  /** Tells a secret-store error apart from other tagged errors. */
  readonly _tag: 'SecretStoreError';
  /**
   * `NotFound`: no such user or version; `Unavailable`: the store cannot be
   * reached (a retry may help); `Corrupt`: what is stored cannot be read.
   */
  readonly code: 'NotFound' | 'Unavailable' | 'Corrupt';
  /** What happened, naming users and versions, never a password. */
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
 * @example
 * Over an application's own directory client
 * (`examples/custom-secret-store`):
 *
 * {@includeCode ../../../examples/custom-secret-store/src/directoryRotator.ts#directoryRotator}
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
    options?: HostCallOptions,
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
