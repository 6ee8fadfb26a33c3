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
  readonly append: (
    stream: string,
    events: ReadonlyArray<NewEvent>,
    expected: ExpectedRevision,
  ) => Promise<Either<StoreError, AppendResult>>;
  readonly readStream: (
    stream: string,
    options?: { readonly fromRevision?: number },
  ) => AsyncIterable<RecordedEvent>;
  readonly readAll: (options?: ReadAllOptions) => AsyncIterable<RecordedEvent>;
  readonly follow: (options?: ReadAllOptions) => Observable<RecordedEvent>;
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
  readonly run: (
    machine: Machine,
    command: RemoteCommand,
    options: RunOptions,
  ) => Promise<Either<TransportError, RemoteResult>>;
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
  readonly enumerate: (
    machine: Machine,
    user: User,
    kinds: ReadonlyArray<DependentKind>,
  ) => Promise<Either<HostError, HostSnapshot>>;
  readonly setCredential: (
    machine: Machine,
    dependent: Dependent,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
  readonly restartService: (
    machine: Machine,
    service: ServiceDependent,
  ) => Promise<Either<HostError, RestartOutcome>>;
  readonly recycleAppPool: (
    machine: Machine,
    pool: string,
  ) => Promise<Either<HostError, void>>;
  readonly changeAccountPassword: (
    machine: Machine,
    user: User,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
  readonly testLogon: (
    machine: Machine,
    user: User,
    password: Secret,
  ) => Promise<Either<HostError, void>>;
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
  readonly current: (
    userUid: string,
  ) => Promise<Either<SecretStoreError, SecretVersion>>;
  readonly get: (
    userUid: string,
    version: number,
  ) => Promise<Either<SecretStoreError, Secret>>;
  readonly stage: (
    userUid: string,
    password: Secret,
    jobId: string,
  ) => Promise<Either<SecretStoreError, SecretVersion>>;
  readonly staged: (
    userUid: string,
    jobId: string,
  ) => Promise<Either<SecretStoreError, SecretVersion | undefined>>;
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
  readonly now: () => Date;
}

/** New identifiers. @category ports */
export interface Ids {
  readonly newUid: () => Uid;
}

/** Random bytes for passwords and ids. @category ports */
export interface RandomSource {
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
  readonly debug: (name: string, attributes?: LogAttributes) => void;
  readonly info: (name: string, attributes?: LogAttributes) => void;
  readonly warn: (name: string, attributes?: LogAttributes) => void;
  readonly error: (name: string, attributes?: LogAttributes) => void;
}

/** A logger that drops every record. @category constructors */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
