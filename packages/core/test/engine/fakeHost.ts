// A small in-memory Windows fleet behind HostOperations, with scripted
// faults, for the engine's tests. It keeps what a property needs to check:
// every operation that took effect, each dependent's stored password, and
// each service's state.
import * as E from 'fp-ts/lib/Either.js';
import type {
  AccountRotator,
  Dependent,
  Failure,
  HostError,
  HostOperations,
  Machine,
} from '../../src/index.js';
import { dependentKey, failure } from '../../src/index.js';

export type HostOp =
  'enumerate' | 'setCredential' | 'restartService' | 'recycleAppPool';

/** One call as a fault script sees it. */
export interface HostCall {
  readonly op: HostOp;
  readonly machineUid: string;
  readonly name?: string;
  /** 1 for the first call with this op, machine and name. */
  readonly attempt: number;
}

/** What a scripted fault does instead of the operation. */
export type Fault = HostError | 'hang';

export const unreachable: HostError = {
  _tag: 'MachineUnusable',
  failure: failure('Unreachable', 'no route to host', { transient: true }),
};

export const logonRefused: HostError = {
  _tag: 'MachineUnusable',
  failure: failure('LogonRefused', 'logon refused'),
};

export const accessDenied: HostError = {
  _tag: 'OperationFailed',
  failure: failure('ERROR_ACCESS_DENIED', 'access denied', { windowsCode: 5 }),
};

interface FakeDependent {
  readonly spec: Dependent;
  stored: string | undefined;
  running: boolean;
}

export interface FakeHostOptions {
  readonly fleet: Readonly<Record<string, ReadonlyArray<Dependent>>>;
  /** The account's password, read when a service starts. */
  readonly accountPassword: () => string;
  readonly faults?: (call: HostCall) => Fault | undefined;
}

export interface FakeHost extends HostOperations {
  /** Every operation that took effect, as `op machine name`. */
  readonly done: string[];
  /** Services started although they were not running. */
  readonly startedStopped: string[];
  readonly closed: () => number;
  readonly stored: (machineUid: string, d: Dependent) => string | undefined;
  readonly running: (machineUid: string, d: Dependent) => boolean;
}

const isRunning = (d: Dependent): boolean =>
  d.kind === 'service' ? d.state === 'running' : d.state === 'started';

export const createFakeHost = (options: FakeHostOptions): FakeHost => {
  const machines = new Map(
    Object.entries(options.fleet).map(([uid, deps]) => [
      uid,
      new Map(
        deps.map((d): [string, FakeDependent] => [
          dependentKey(d),
          { spec: d, stored: 'old', running: isRunning(d) },
        ]),
      ),
    ]),
  );
  const attempts = new Map<string, number>();
  const done: string[] = [];
  const startedStopped: string[] = [];
  let closed = 0;

  const call = <A>(
    op: HostOp,
    machine: Machine,
    name: string | undefined,
    effect: () => E.Either<HostError, A>,
  ): Promise<E.Either<HostError, A>> => {
    const key = `${op} ${machine.uid} ${name ?? ''}`.trim();
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const fault = options.faults?.({
      op,
      machineUid: machine.uid,
      ...(name === undefined ? {} : { name }),
      attempt,
    });
    if (fault === 'hang') {
      return new Promise(() => undefined);
    }
    if (fault !== undefined) {
      return Promise.resolve(E.left(fault));
    }
    const result = effect();
    if (E.isRight(result)) {
      done.push(key);
    }

    return Promise.resolve(result);
  };

  const on = (machine: Machine) => machines.get(machine.uid) ?? new Map();
  const find = (machine: Machine, d: Dependent) =>
    on(machine).get(dependentKey(d)) as FakeDependent | undefined;
  const missing = (what: string): HostError => ({
    _tag: 'OperationFailed',
    failure: failure('ERROR_NOT_FOUND', `${what} not found`, {
      windowsCode: 1168,
    }),
  });

  return {
    done,
    startedStopped,
    closed: () => closed,
    stored: (uid, d) =>
      machines.get(uid)?.get(dependentKey(d))?.stored ?? undefined,
    running: (uid, d) =>
      machines.get(uid)?.get(dependentKey(d))?.running ?? false,
    enumerate: (machine, _user, kinds) =>
      call('enumerate', machine, undefined, () =>
        E.right({
          host: { computerName: machine.name, iisInstalled: true },
          dependents: [...on(machine).values()]
            .map((d) => d.spec)
            .filter((d) => kinds.includes(d.kind)),
        }),
      ),
    setCredential: (machine, dependent, password) =>
      call('setCredential', machine, dependent.name, () => {
        const d = find(machine, dependent);
        if (d === undefined) {
          return E.left(missing(dependent.name));
        }
        d.stored = password.reveal();

        return E.right(undefined);
      }),
    restartService: (machine, service) =>
      call('restartService', machine, service.name, () => {
        const d = find(machine, service);
        if (d === undefined) {
          return E.left(missing(service.name));
        }
        if (!d.running) {
          startedStopped.push(`${machine.uid} ${service.name}`);
        }
        if (d.stored !== options.accountPassword()) {
          d.running = false;
          const f: Failure = failure(
            'ERROR_SERVICE_LOGON_FAILED',
            'the service did not start due to a logon failure',
            { windowsCode: 1069 },
          );

          return E.left({ _tag: 'OperationFailed', failure: f });
        }
        d.running = true;

        return E.right({ dependentsRestarted: [] });
      }),
    recycleAppPool: (machine, name) =>
      call('recycleAppPool', machine, name, () =>
        on(machine).has(dependentKey({ kind: 'iis', name }))
          ? E.right(undefined)
          : E.left(missing(name)),
      ),
    changeAccountPassword: () => Promise.resolve(E.right(undefined)),
    testLogon: () => Promise.resolve(E.right(undefined)),
    close: () => {
      closed++;

      return Promise.resolve();
    },
  };
};

export interface FakeRotator extends AccountRotator {
  readonly password: () => string;
  readonly calls: string[];
}

/**
 * An account whose password is reset (not changed with the old one), so a
 * second change to the same password succeeds, as an administrator's reset
 * does.
 */
export const createFakeRotator = (
  fault?: (attempt: number) => Failure | undefined,
): FakeRotator => {
  let password = 'old';
  const calls: string[] = [];

  return {
    password: () => password,
    calls,
    change: (_user, next) => {
      calls.push(next.reveal());
      const f = fault?.(calls.length);
      if (f !== undefined) {
        return Promise.resolve(E.left(f));
      }
      password = next.reveal();

      return Promise.resolve(E.right(undefined));
    },
  };
};
