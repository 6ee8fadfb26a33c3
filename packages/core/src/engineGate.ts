import {
  defer,
  finalize,
  from,
  mergeMap,
  type Observable,
  of,
  tap,
} from 'rxjs';
import type { JobEvent } from './events.js';
import type { Failure } from './failure.js';

/**
 * How restarts (and pool recycles) of one account go: the first of a run
 * goes alone
 * (the canary); a logon failure of the canary halts every other restart of
 * the run. Once one restart succeeded, restarts go on, never more at once
 * than the failed logons left in `budget`, and the run halts when
 * `budget` logon failures were seen. A halted restart is recorded as
 * `ServiceRestartHalted` without contacting its host.
 *
 * @category model
 */
export interface RestartGatePolicy {
  /** Failed logons a run may cause; at least 1. */
  readonly budget: number;
  /** Whether a failed restart was a logon failure (it spends budget). */
  readonly isLogonFailure: (failure: Failure) => boolean;
}

/** The gate a run's restarts go through. @category model */
export interface RestartGate {
  /**
   * Runs `attempt` when the gate lets it, or emits `halted(failedLogons)`
   * at once when the run has halted.
   */
  readonly through: (
    attempt: () => Observable<JobEvent>,
    halted: (failedLogons: number) => JobEvent,
  ) => Observable<JobEvent>;
}

/** Default budget of failed logons per run. @category constants */
export const defaultLogonFailureBudget = 2;

const logonCodes = new Set([1069, 1326, 1323, 1909]);

/**
 * Whether a failure is a logon failure: a service that could not log on
 * (1069, `ERROR_SERVICE_LOGON_FAILED`), a wrong password (1326, 1323) or
 * a locked-out account (1909).
 *
 * @category utils
 */
export const isLogonFailure = (f: Failure): boolean =>
  (f.windowsCode !== undefined && logonCodes.has(f.windowsCode)) ||
  f.code === 'ERROR_SERVICE_LOGON_FAILED' ||
  f.code === 'ERROR_LOGON_FAILURE' ||
  f.code === 'ERROR_ACCOUNT_LOCKED_OUT';

/**
 * A {@link RestartGate} for one run.
 *
 * @category constructors
 */
export const createRestartGate = (policy: RestartGatePolicy): RestartGate => {
  const budget = Math.max(1, policy.budget);
  let phase: 'canary' | 'open' | 'halted' = 'canary';
  let failures = 0;
  let inFlight = 0;
  const waiting: Array<(go: boolean) => void> = [];

  const limit = () => (phase === 'canary' ? 1 : Math.max(1, budget - failures));

  const pump = () => {
    while (waiting.length > 0 && (phase === 'halted' || inFlight < limit())) {
      const next = waiting.shift();
      if (phase !== 'halted') {
        inFlight++;
      }
      next?.(phase !== 'halted');
    }
  };

  const settle = (event: JobEvent | undefined) => {
    inFlight--;
    const succeeded =
      event?.type === 'ServiceRestarted' || event?.type === 'AppPoolRecycled';
    if (succeeded && phase === 'canary') {
      phase = 'open';
    }
    if (
      event?.type === 'DependentFailed' &&
      policy.isLogonFailure(event.data.error)
    ) {
      failures++;
      if (phase === 'canary' || failures >= budget) {
        phase = 'halted';
      }
    }
    pump();
  };

  const acquire = (): Promise<boolean> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      pump();
    });

  const through: RestartGate['through'] = (attempt, halted) =>
    defer(() => from(acquire())).pipe(
      mergeMap((go) => {
        if (!go) {
          return of(halted(failures));
        }
        let last: JobEvent | undefined;

        return attempt().pipe(
          tap((e) => {
            last = e;
          }),
          finalize(() => settle(last)),
        );
      }),
    );

  return { through };
};
