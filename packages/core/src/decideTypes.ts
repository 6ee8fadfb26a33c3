import type { JobOptions, RotorEvent } from './events.js';
import type { ExpectedRevision } from './ports.js';
import type { Inventory } from './records.js';
import type { Uid } from './uid.js';
import type { Warning } from './decideErrors.js';

/**
 * Who asked, and when. Time is an input, so {@link decide} stays pure.
 *
 * @category commands
 */
export interface CommandMeta {
  /** Who asked: an operator name or a process identity. */
  readonly by: string;
  /** When, as an ISO-8601 timestamp. */
  readonly at: string;
}

/**
 * Map a user to a machine for some kinds of dependents. `kinds` is as the
 * operator typed it and is checked; absent or empty means all three.
 *
 * @category commands
 */
export interface AddMapping extends CommandMeta {
  readonly type: 'AddMapping';
  readonly machineUid: string;
  readonly userUid: string;
  readonly kinds?: ReadonlyArray<string>;
}

/**
 * Remove the mapping of a user to a machine for some kinds (all three when
 * absent or empty).
 *
 * @category commands
 */
export interface RemoveMapping extends CommandMeta {
  readonly type: 'RemoveMapping';
  readonly machineUid: string;
  readonly userUid: string;
  readonly kinds?: ReadonlyArray<string>;
}

/**
 * What {@link EnableMapping} and {@link DisableMapping} apply to: exactly
 * one of a machine and a user. Both or neither is an `InvalidScope` error.
 *
 * @category commands
 */
export interface ScopeInput {
  readonly machineUid?: string;
  readonly userUid?: string;
}

/** Let rotations reach a machine or user again. @category commands */
export interface EnableMapping extends CommandMeta {
  readonly type: 'EnableMapping';
  readonly scope: ScopeInput;
}

/** Make rotations skip a machine or a user. @category commands */
export interface DisableMapping extends CommandMeta {
  readonly type: 'DisableMapping';
  readonly scope: ScopeInput;
}

/**
 * Rotate a user's password. The caller supplies the new job's id, so that
 * {@link decide} reads no random source.
 *
 * @category commands
 */
export interface ScheduleRotation extends CommandMeta {
  readonly type: 'ScheduleRotation';
  readonly userUid: string;
  readonly jobId: Uid;
  readonly options: JobOptions;
}

/** Every command {@link decide} takes. @category commands */
export type GatewayCommand =
  | AddMapping
  | RemoveMapping
  | EnableMapping
  | DisableMapping
  | ScheduleRotation;

/** What {@link decide} reads besides the state. @category commands */
export interface DecideContext {
  readonly inventory: Inventory;
  readonly gatewayUid: Uid;
}

/**
 * What to append, and where: the events (possibly none), the stream and the
 * revision to expect there, warnings for the operator, and for a rotation
 * the id of the job (the new one, or the one already running).
 *
 * @category model
 */
export interface Decision {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: ReadonlyArray<RotorEvent>;
  readonly warnings: ReadonlyArray<Warning>;
  readonly jobId?: Uid;
}
