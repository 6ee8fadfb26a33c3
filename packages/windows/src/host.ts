import * as E from 'fp-ts/lib/Either.js';
import {
  failure,
  silentLogger,
  type HostCallOptions,
  type HostError,
  type HostOperations,
  type Logger,
  type Machine,
  type Secret,
  type Transport,
  type User,
} from '@rotor/core';
import { classifyAccount } from './account.js';
import { decodeOutput, type OperationOutputs } from './decode.js';
import type { Enumeration } from './enumeration.js';
import { failureOfOutput, redact } from './hostFailure.js';
import { snapshotOf, taskStoresPassword, warnAboutHost } from './snapshot.js';
import type { OperationName } from './protocol.js';
import { remoteCommand, type OperationInputs } from './scripts.js';

/**
 * Options of {@link createWindowsHost}.
 *
 * @category model
 */
export interface WindowsHostOptions {
  /** Bound of each wait for a service's pending state. Default 120. */
  readonly restartTimeoutSeconds?: number;
  /** Transport timeout of one operation (a restart gets more). Default 120 000. */
  readonly stepTimeoutMs?: number;
  /** Where operations are reported (names and codes only). */
  readonly logger?: Logger;
}

/** The input field naming the job in the host's event log, if known. */
const audit = (options: HostCallOptions): { jobId?: string } =>
  options.jobId === undefined ? {} : { jobId: options.jobId };

const refused = (code: string, message: string): HostError => ({
  _tag: 'OperationFailed',
  failure: failure(code, message),
});

const userPart = (login: string): string => {
  const slash = login.lastIndexOf('\\');
  if (slash >= 0) {
    return login.slice(slash + 1);
  }
  const at = login.lastIndexOf('@');

  return at >= 0 ? login.slice(0, at) : login;
};

const logonName = (user: User): string => {
  if (user.login.includes('\\') || user.login.includes('@')) {
    return user.login;
  }
  if (user.scope === 'local') {
    return `.\\${user.login}`;
  }

  return user.domain === undefined
    ? user.login
    : `${user.domain.netbios}\\${user.login}`;
};

/**
 * The {@link HostOperations} of Windows hosts, each operation one script of
 * `scripts/` run over `transport`. A transport failure is
 * `MachineUnusable` (its `transient` kept); a script's error document,
 * an error record on stderr, a non-zero exit or undecodable output is
 * `OperationFailed` with the Windows code and name. `enumerate` keeps only
 * the dependents that hold a password of `user`: services running as it,
 * tasks whose logon type stores a password, SpecificUser app pools.
 * Built-in, virtual and managed accounts are refused before any connection.
 *
 * Every input carries a fresh nonce and the script's SHA-256 (W21); an
 * answer that does not echo the nonce is `NonceMismatch`. A `jobId` in the
 * options of a changing operation reaches the host's event log entry.
 * `restartService` with `startIfStopped` starts a service the job's
 * snapshot saw running even if it is stopped now, and then the dependents
 * the snapshot saw running (`startDependents`).
 *
 * @category constructors
 */
export const createWindowsHost = (
  transport: Transport,
  options: WindowsHostOptions = {},
): HostOperations => {
  const logger = options.logger ?? silentLogger;
  const stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
  const restartTimeoutSeconds = options.restartTimeoutSeconds ?? 120;

  const run = async <O extends OperationName>(
    machine: Machine,
    operation: O,
    input: OperationInputs[O],
    settings: { readonly timeoutMs?: number; readonly secret?: Secret } = {},
  ): Promise<E.Either<HostError, OperationOutputs[O]>> => {
    const attributes = { operation, machine: machine.uid };
    logger.debug('windows.operation.started', attributes);
    let outcome: Awaited<ReturnType<Transport['run']>>;
    const command = remoteCommand(operation, input);
    try {
      outcome = await transport.run(machine, command, {
        timeoutMs: settings.timeoutMs ?? stepTimeoutMs,
      });
    } catch {
      logger.error('windows.transport.threw', attributes);

      return E.left({
        _tag: 'MachineUnusable',
        failure: failure('ProtocolError', `${operation}: the transport failed`),
      });
    }
    if (E.isLeft(outcome)) {
      const error = outcome.left;
      logger.warn('windows.operation.unreachable', {
        ...attributes,
        code: error.code,
      });

      return E.left({
        _tag: 'MachineUnusable',
        failure: failure(error.code, redact(error.message, settings.secret), {
          transient: error.transient,
        }),
      });
    }
    const decoded = decodeOutput(operation, outcome.right, {
      nonce: command.nonce,
    });
    if (E.isLeft(decoded)) {
      const reported = failureOfOutput(decoded.left, settings.secret);
      logger.warn('windows.operation.failed', {
        ...attributes,
        code: reported.code,
      });

      return E.left({ _tag: 'OperationFailed', failure: reported });
    }
    logger.debug('windows.operation.finished', attributes);

    return decoded;
  };

  const toVoid = E.map((): void => undefined);

  const setCredential: HostOperations['setCredential'] = async (
    machine,
    dependent,
    password,
    options = {},
  ) => {
    if (classifyAccount(dependent.account) !== 'candidate') {
      return E.left(
        refused(
          'AccountHasNoPassword',
          `${dependent.kind} ${dependent.name} runs as a built-in, virtual or managed account`,
        ),
      );
    }
    const secret = { secret: password };
    const credential = {
      account: dependent.account,
      password: password.reveal(),
      ...audit(options),
    };
    switch (dependent.kind) {
      case 'service':
        return toVoid(
          await run(
            machine,
            'set-service-credential',
            { name: dependent.name, ...credential },
            secret,
          ),
        );
      case 'task':
        if (!taskStoresPassword(dependent.logonType)) {
          return E.left(
            refused(
              'NoStoredPassword',
              `task ${dependent.name} stores no password`,
            ),
          );
        }

        return toVoid(
          await run(
            machine,
            'set-task-credential',
            { path: dependent.name, ...credential },
            secret,
          ),
        );
      case 'iis':
        if (dependent.identityType !== 'specific-user') {
          return E.left(
            refused(
              'NotSpecificUser',
              `application pool ${dependent.name} holds no password`,
            ),
          );
        }

        return toVoid(
          await run(
            machine,
            'set-apppool-credential',
            { name: dependent.name, ...credential },
            secret,
          ),
        );
    }
  };

  const changeAccountPassword: HostOperations['changeAccountPassword'] = async (
    machine,
    user,
    password,
    options = {},
  ) => {
    const account = userPart(user.login);
    if (
      account === '' ||
      ['builtin', 'virtual-account', 'managed-service-account'].includes(
        classifyAccount(user.login),
      ) ||
      account.endsWith('$')
    ) {
      return E.left(
        refused(
          'AccountHasNoPassword',
          `user ${user.uid} is a built-in, virtual or managed account: its password is not rotor's to change`,
        ),
      );
    }
    const input = { account, password: password.reveal(), ...audit(options) };
    const operation =
      user.scope === 'local'
        ? 'change-local-password'
        : 'change-domain-password';

    return toVoid(await run(machine, operation, input, { secret: password }));
  };

  return {
    enumerate: async (machine, user, kinds) =>
      E.map((found: Enumeration) => {
        const snapshot = snapshotOf(found, user, kinds);
        warnAboutHost(logger, machine, user, found, snapshot);

        return snapshot;
      })(await run(machine, 'enumerate-dependents', { kinds: [...kinds] })),
    setCredential,
    restartService: async (machine, service, options = {}) => {
      const running = service.dependentServices
        .filter((d) => d.state === 'running')
        .map((d) => d.name);
      const waits = 2 + 2 * running.length;
      const resume =
        options.startIfStopped === true
          ? { startIfStopped: true, startDependents: running }
          : {};

      return run(
        machine,
        'restart-service',
        {
          name: service.name,
          timeoutSeconds: restartTimeoutSeconds,
          ...resume,
          ...audit(options),
        },
        { timeoutMs: stepTimeoutMs + waits * restartTimeoutSeconds * 1000 },
      );
    },
    recycleAppPool: async (machine, pool, options = {}) =>
      toVoid(
        await run(machine, 'recycle-apppool', {
          name: pool,
          ...audit(options),
        }),
      ),
    changeAccountPassword,
    testLogon: async (machine, user, password) =>
      toVoid(
        await run(
          machine,
          'test-logon',
          { account: logonName(user), password: password.reveal() },
          { secret: password },
        ),
      ),
    close: () => transport.close(),
  };
};
