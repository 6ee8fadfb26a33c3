import * as E from 'fp-ts/lib/Either.js';
import {
  activeDependentsOf,
  settleService,
  startService,
  stopService,
} from './serviceControl.js';
import type { SimHost } from './simHost.js';
import { type WinError, winError } from './windowsErrors.js';

const firstFailure = (
  steps: ReadonlyArray<() => E.Either<WinError, unknown>>,
): E.Either<WinError, void> => {
  for (const step of steps) {
    const outcome = step();
    if (E.isLeft(outcome)) {
      return outcome;
    }
  }

  return E.right(undefined);
};

/**
 * Restarts a running service as the `restart-service` script does: wait
 * out a start or stop in progress; refuse a service that is not running
 * then (1062: a stopped or paused service is never started); refuse,
 * before stopping anything, when it or a running dependent is Disabled
 * (1058: it could not start again); stop the running services depending
 * on it (directly or not, each after its own dependents), stop it, start
 * it, then start those dependents again, dependencies first, stopping at
 * the first that fails. Gives the names of the dependents started again.
 *
 * @category testing
 */
export const restartService = (
  host: SimHost,
  name: string,
): E.Either<WinError, ReadonlyArray<string>> => {
  const target = settleService(host, name);
  if (E.isLeft(target)) {
    return target;
  }
  const s = target.right;
  if (s.state !== 'running') {
    return E.left(
      winError(
        'ERROR_SERVICE_NOT_ACTIVE',
        `service ${s.name} is ${s.state}; rotor starts only services that were running`,
      ),
    );
  }
  const running = activeDependentsOf(host, s.name).filter(
    (d) => d.state === 'running',
  );
  const disabled = [s, ...running].find((d) => d.startMode === 'disabled');
  if (disabled !== undefined) {
    return E.left(
      winError(
        'ERROR_SERVICE_DISABLED',
        `service ${disabled.name} is running but Disabled: nothing was stopped`,
      ),
    );
  }
  const names = running.map((d) => d.name);
  const cycled = firstFailure([
    ...names.map((d) => () => stopService(host, d)),
    () => stopService(host, s.name),
    () => startService(host, s.name),
    ...[...names].reverse().map((d) => () => startService(host, d)),
  ]);

  return E.isLeft(cycled) ? cycled : E.right([...names].reverse());
};
