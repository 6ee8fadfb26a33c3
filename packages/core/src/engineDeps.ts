import type { SchedulerLike } from 'rxjs';
import type { RetryPolicy } from './engineStep.js';
import type { Failure } from './failure.js';
import type { PasswordPolicy } from './password.js';
import type {
  AccountRotator,
  Clock,
  EventStore,
  HostOperations,
  Logger,
  RandomSource,
  SecretStore,
} from './ports.js';
import type { Inventory } from './records.js';

/**
 * What the engine runs on: the ports, and how hard it tries.
 *
 * @category model
 */
export interface EngineDeps {
  /** Where jobs are read from and every outcome is appended. */
  readonly store: EventStore;
  /** The Windows operations, over some transport. */
  readonly host: HostOperations;
  /** Password versions; a new one is staged before the account changes. */
  readonly secrets: SecretStore;
  /** Changes the account's own password. */
  readonly rotator: AccountRotator;
  /** Machines and users by uid. */
  readonly inventory: Inventory;
  /** Timestamps of events and the job's duration. */
  readonly clock: Clock;
  /** Randomness for new passwords. */
  readonly random: RandomSource;
  /** How new passwords look; `defaultPasswordPolicy` when absent. */
  readonly passwordPolicy?: PasswordPolicy;
  /** Where the engine reports what it does; silent when absent. */
  readonly logger?: Logger;
  /** How many machines are worked on at once; 16 when absent. */
  readonly parallel?: number;
  /** The longest one try of one remote step may take; 120 s when absent. */
  readonly stepTimeoutMs?: number;
  /** Retries of transient failures; 3 tries, 1 s doubling to 30 s. */
  readonly retry?: RetryPolicy;
  /** Time for timeouts and backoff; RxJS's async scheduler when absent. */
  readonly scheduler?: SchedulerLike;
  /**
   * Whether a run closes `host` when it ends (completes, fails or is
   * unsubscribed); true when absent. Set it to false when one host object
   * serves several runs at once, and close it yourself.
   */
  readonly closeHost?: boolean;
  /**
   * Failed logons one run's restarts may cause before the rest are halted
   * (`ServiceRestartHalted`); 2 when absent. The first restart of a run is
   * a canary: its logon failure halts the rest at once.
   */
  readonly logonFailureBudget?: number;
  /**
   * The domain's account lockout threshold, when known: the budget must
   * stay under it, or `createEngine` throws a `RangeError`.
   */
  readonly lockoutThreshold?: number;
  /** Which failures are logon failures; `isLogonFailure` when absent. */
  readonly isLogonFailure?: (failure: Failure) => boolean;
}

/** The default bound on machines worked on at once. @category constants */
export const defaultParallel = 16;

/** The default timeout of one try of a remote step. @category constants */
export const defaultStepTimeoutMs = 120_000;

/** The default retry policy for transient failures. @category constants */
export const defaultRetry: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};
