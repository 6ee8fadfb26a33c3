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
 * With `startIfStopped` (the caller's snapshot saw it running), a stopped
 * service is started instead (1058 if Disabled), then those of
 * `startDependents` that are stopped, in that order, stopping at the
 * first that fails. `onBegin` is called where the script prints
 * `##rotor BEGIN`, before the first stop or start.
 *
 * @category testing
 */
export const restartService = (
  host: SimHost,
  name: string,
  options: {
    readonly onBegin?: (change: string) => void;
    readonly startIfStopped?: boolean;
    readonly startDependents?: ReadonlyArray<string>;
  } = {},
): E.Either<WinError, ReadonlyArray<string>> => {
  const target = settleService(host, name);
  if (E.isLeft(target)) {
    return target;
  }
  const s = target.right;
  if (s.state === 'stopped' && options.startIfStopped === true) {
    if (s.startMode === 'disabled') {
      return E.left(
        winError(
          'ERROR_SERVICE_DISABLED',
          `service ${s.name} is Disabled: it cannot be started`,
        ),
      );
    }
    const stopped = (options.startDependents ?? [])
      .map((d) => host.service(d))
      .filter((d) => d !== undefined && d.state === 'stopped')
      .map((d) => d?.name ?? '');
    options.onBegin?.(`start service ${s.name}`);
    const started = firstFailure([
      () => startService(host, s.name),
      ...stopped.map((d) => () => startService(host, d)),
    ]);

    return E.isLeft(started) ? started : E.right(stopped);
  }
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
  options.onBegin?.(`restart service ${s.name}`);
  const cycled = firstFailure([
    ...names.map((d) => () => stopService(host, d)),
    () => stopService(host, s.name),
    () => startService(host, s.name),
    ...[...names].reverse().map((d) => () => startService(host, d)),
  ]);

  return E.isLeft(cycled) ? cycled : E.right([...names].reverse());
};
