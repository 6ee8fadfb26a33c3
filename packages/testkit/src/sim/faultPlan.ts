import type { OperationName } from '@rotor/windows';

/**
 * One operation that fails with a Windows error instead of running: on a
 * machine, optionally only for one dependent (the input's `name`, `path`
 * or `account`, compared case-insensitively), for every attempt or only
 * the first `times`. The host is left unchanged.
 *
 * @category testing
 */
export interface FailingStep {
  readonly machineUid: string;
  readonly operation: OperationName;
  readonly dependent?: string;
  readonly code: number;
  /** The symbolic name; looked up from `code` when absent. */
  readonly name?: string;
  readonly times?: number;
}

/**
 * The first `attempts` runs on a machine (of one operation, or of any)
 * fail with a transient transport error.
 *
 * @category testing
 */
export interface TransientFault {
  readonly machineUid: string;
  readonly operation?: OperationName;
  readonly attempts: number;
  readonly code?: 'Unreachable' | 'Timeout';
}

/**
 * What goes wrong in a simulated fleet. `latencyMs` delays every run (a
 * run slower than its timeout fails with `Timeout` and is not executed);
 * `unreachable` machines fail every run transiently; `logonRefused`
 * machines fail every run permanently.
 *
 * @category testing
 */
export interface FaultPlan {
  /**
   * The delay of every run in milliseconds: one number, or one per machine and
   * operation.
   */
  readonly latencyMs?:
    number | ((machineUid: string, operation: string) => number);
  readonly unreachable?: ReadonlyArray<string>;
  readonly logonRefused?: ReadonlyArray<string>;
  readonly failingSteps?: ReadonlyArray<FailingStep>;
  readonly transient?: ReadonlyArray<TransientFault>;
}

/** A plan with no faults. @category testing */
export const noFaults: FaultPlan = {};
