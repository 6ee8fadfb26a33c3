import * as E from 'fp-ts/lib/Either.js';
import type { SimHost } from './simHost.js';
import { type WinError, comError, scriptError } from './windowsErrors.js';

/**
 * Registers a task again with a user and password, as Task Scheduler's
 * `RegisterTaskDefinition` does: on a host whose policy forbids stored
 * passwords it fails with 0x80070520 and the task is unchanged; it checks
 * the credentials (a wrong password fails with 0x8007052E and counts a
 * bad logon); the principal becomes `account` as written. A missing task
 * is 0x80070002.
 *
 * @category testing
 */
export const setTaskCredential = (
  host: SimHost,
  path: string,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const t = host.task(path);
  const outcome = ((): E.Either<WinError, void> => {
    if (t === undefined) {
      return E.left(comError('ERROR_FILE_NOT_FOUND', `task ${path}`));
    }
    if (host.taskPasswordsBlocked) {
      return E.left(
        comError(
          'ERROR_NO_SUCH_LOGON_SESSION',
          `storing the password of task ${t.path}: policy forbids it`,
        ),
      );
    }
    const logon = host.logon(account, password);
    if (E.isLeft(logon)) {
      return E.left(
        comError(
          logon.left.code === 1909
            ? 'ERROR_ACCOUNT_LOCKED_OUT'
            : 'ERROR_LOGON_FAILURE',
          `storing the password of task ${t.path}: logon failure`,
        ),
      );
    }
    t.userId = account;
    t.password = password;
    host.bump({ kind: 'task', name: t.path }, 'credentialSets');

    return E.right(undefined);
  })();
  host.record('set-task-credential', outcome, {
    dependent: { kind: 'task', name: path },
    account,
  });

  return outcome;
};

/**
 * IIS's answer for a pool it does not have, or when it is not there.
 *
 * @category testing
 */
export const poolMissing = (
  host: SimHost,
  name: string,
): WinError | undefined =>
  !host.iisInstalled
    ? scriptError('IisNotInstalled', 'IIS is not installed on this host')
    : host.appPool(name) === undefined
      ? scriptError(
          'AppPoolNotFound',
          `application pool ${name} does not exist`,
        )
      : undefined;

/**
 * Stores a user and password in an app pool's process model, as
 * `ServerManager.CommitChanges` does; IIS checks nothing until a worker
 * process starts.
 *
 * @category testing
 */
export const setAppPoolCredential = (
  host: SimHost,
  name: string,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const missing = poolMissing(host, name);
  const p = host.appPool(name);
  const outcome: E.Either<WinError, void> =
    missing !== undefined || p === undefined
      ? E.left(missing ?? scriptError('AppPoolNotFound', name))
      : E.right(undefined);
  if (E.isRight(outcome) && p !== undefined) {
    p.userName = account;
    p.password = password;
    host.bump({ kind: 'iis', name: p.name }, 'credentialSets');
  }
  host.record('set-apppool-credential', outcome, {
    dependent: { kind: 'iis', name },
    account,
  });

  return outcome;
};

/**
 * Recycles an app pool if it is started (waiting out `starting` and
 * `stopping`) and gives whether it did. The new worker process logs on as
 * the pool's identity; when that fails, the recycle itself still
 * succeeds, as on IIS, but the pool stops (rapid-fail protection) and the
 * account counts a bad logon. `onBegin` is called where the script prints
 * `##rotor BEGIN`, just before the recycle.
 *
 * @category testing
 */
export const recycleAppPool = (
  host: SimHost,
  name: string,
  onBegin: () => void = () => undefined,
): E.Either<WinError, boolean> => {
  const missing = poolMissing(host, name);
  const p = host.appPool(name);
  const outcome = ((): E.Either<WinError, boolean> => {
    if (missing !== undefined || p === undefined) {
      return E.left(missing ?? scriptError('AppPoolNotFound', name));
    }
    if (p.state === 'starting') {
      p.state = 'started';
    }
    if (p.state === 'stopping') {
      p.state = 'stopped';
    }
    if (p.state !== 'started') {
      return E.right(false);
    }
    onBegin();
    host.bump({ kind: 'iis', name: p.name }, 'recycles');
    if (
      p.identityType === 'specific-user' &&
      E.isLeft(host.logon(p.userName, p.password))
    ) {
      p.state = 'stopped';
    }

    return E.right(true);
  })();
  host.record('recycle-apppool', outcome, { dependent: { kind: 'iis', name } });

  return outcome;
};
