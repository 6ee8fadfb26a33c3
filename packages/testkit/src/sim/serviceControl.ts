import * as E from 'fp-ts/lib/Either.js';
import type { SimHost } from './simHost.js';
import type { SimService } from './simTypes.js';
import { type WinError, scriptError, winError } from './windowsErrors.js';

const ref = (name: string) => ({ kind: 'service' as const, name });

const find = (host: SimHost, name: string): E.Either<WinError, SimService> => {
  const s = host.service(name);

  return s === undefined
    ? E.left(
        winError(
          'ERROR_SERVICE_DOES_NOT_EXIST',
          `service ${name} does not exist`,
        ),
      )
    : E.right(s);
};

const settled: Partial<Record<SimService['state'], SimService['state']>> = {
  'start-pending': 'running',
  'continue-pending': 'running',
  'stop-pending': 'stopped',
  'pause-pending': 'paused',
};

/**
 * Waits for a service in a pending state to reach the state it is heading
 * for: immediately, unless the service is `stuck`, which fails with 1053
 * as a timed-out wait does.
 *
 * @category testing
 */
export const settleService = (
  host: SimHost,
  name: string,
): E.Either<WinError, SimService> =>
  E.flatMap(find(host, name), (s) => {
    const next = settled[s.state];
    if (next === undefined) {
      return E.right(s);
    }
    if (s.stuck) {
      return E.left(
        winError(
          'ERROR_SERVICE_REQUEST_TIMEOUT',
          `'${s.name}' stays ${s.state}`,
        ),
      );
    }
    s.state = next;

    return E.right(s);
  });

const startable = (host: SimHost, s: SimService): E.Either<WinError, void> => {
  if (s.state === 'stop-pending' || s.state === 'pause-pending') {
    return E.left(winError('ERROR_SERVICE_CANNOT_ACCEPT_CTRL', s.name));
  }
  if (s.state !== 'stopped') {
    return E.left(winError('ERROR_SERVICE_ALREADY_RUNNING', s.name));
  }
  if (s.startMode === 'disabled') {
    return E.left(
      winError('ERROR_SERVICE_DISABLED', `'${s.name}' is disabled`),
    );
  }
  const missing = s.dependsOn.find((d) => host.service(d)?.state !== 'running');

  return missing === undefined
    ? E.right(undefined)
    : E.left(
        winError(
          'ERROR_SERVICE_DEPENDENCY_FAIL',
          `'${s.name}' needs '${missing}' running`,
        ),
      );
};

/**
 * Starts a stopped service as the SCM does: 1056 if it is not stopped,
 * 1058 if disabled, 1068 if a service it depends on is not running (the
 * simulator does not start dependencies by itself, so an ordering mistake
 * shows), and 1069 if its stored password does not log on as its account
 * (which counts a bad logon on that account).
 *
 * @category testing
 */
export const startService = (
  host: SimHost,
  name: string,
): E.Either<WinError, void> => {
  const outcome = E.flatMap(find(host, name), (s) =>
    E.flatMap(startable(host, s), () => {
      const logon = host.logon(s.account, s.password);
      if (E.isLeft(logon)) {
        return E.left(
          winError(
            'ERROR_SERVICE_LOGON_FAILED',
            `service ${s.name} did not start due to a logon failure`,
            logon.left.code,
          ),
        );
      }
      s.state = 'running';
      host.bump(ref(s.name), 'starts');

      return E.right(undefined);
    }),
  );
  host.record('start-service', outcome, { dependent: ref(name) });

  return outcome;
};

/**
 * The services that depend on `name`, directly or not, and are not
 * stopped, in an order that can stop them: each after those depending on
 * it.
 *
 * @category testing
 */
export const activeDependentsOf = (
  host: SimHost,
  name: string,
): ReadonlyArray<SimService> => {
  const order: SimService[] = [];
  const seen = new Set<string>();
  const visit = (target: string): void => {
    for (const s of host.services.values()) {
      const key = s.name.toLowerCase();
      const depends = s.dependsOn.some(
        (d) => d.toLowerCase() === target.toLowerCase(),
      );
      if (depends && s.state !== 'stopped' && !seen.has(key)) {
        seen.add(key);
        visit(s.name);
        order.push(s);
      }
    }
  };
  visit(name);

  return order;
};

/**
 * Stops a service as the SCM does: 1062 if it is stopped, 1061 while a
 * state change is pending, 1051 while a service depending on it is active.
 *
 * @category testing
 */
export const stopService = (
  host: SimHost,
  name: string,
): E.Either<WinError, void> => {
  const outcome = E.flatMap(find(host, name), (s) => {
    if (s.state === 'stopped') {
      return E.left(winError('ERROR_SERVICE_NOT_ACTIVE', s.name));
    }
    if (s.state.endsWith('-pending')) {
      return E.left(winError('ERROR_SERVICE_CANNOT_ACCEPT_CTRL', s.name));
    }
    const active = activeDependentsOf(host, s.name)[0];
    if (active !== undefined) {
      return E.left(
        winError(
          'ERROR_DEPENDENT_SERVICES_RUNNING',
          `'${active.name}' depends on '${s.name}'`,
        ),
      );
    }
    s.state = 'stopped';
    host.bump(ref(s.name), 'stops');

    return E.right(undefined);
  });
  host.record('stop-service', outcome, { dependent: ref(name) });

  return outcome;
};

/**
 * Stores an account and password for a service, as `Win32_Service.Change`
 * with a StartName and StartPassword does: the account becomes `account`
 * as written, and nothing checks the password until the service next
 * starts. An account that does not resolve on the host is refused with
 * the Change return value 22 (InvalidServiceAccount).
 *
 * @category testing
 */
export const setServiceCredential = (
  host: SimHost,
  name: string,
  account: string,
  password: string,
): E.Either<WinError, void> => {
  const outcome = E.flatMap(find(host, name), (s) => {
    if (host.canonicalAccount(account).kind === 'unknown') {
      return E.left(
        scriptError(
          'InvalidServiceAccount',
          `Win32_Service.Change returned 22 for service ${s.name}`,
          22,
        ),
      );
    }
    s.account = account;
    s.password = password;
    host.bump(ref(s.name), 'credentialSets');

    return E.right(undefined);
  });
  host.record('set-service-credential', outcome, {
    dependent: ref(name),
    account,
  });

  return outcome;
};
