import type {
  Dependent,
  DependentKind,
  HostSnapshot,
  Logger,
  Machine,
  TaskLogonType,
  User,
} from '@rotor/core';
import { matchesAccount, type AccountTarget } from './account.js';
import type { Enumeration } from './enumeration.js';

/**
 * Whether a task's logon type keeps a password that rotor must rewrite:
 * Password, and InteractiveTokenOrPassword (treated alike by Windows).
 *
 * @category utils
 */
export const taskStoresPassword = (logonType: TaskLogonType): boolean =>
  logonType === 'password' || logonType === 'interactive-token-or-password';

const targetOf = (user: User): AccountTarget => ({
  login: user.login,
  scope: user.scope,
  ...(user.domain === undefined ? {} : { domain: user.domain }),
});

/**
 * The dependents of `found` that hold a password of `user`, of `kinds`,
 * and the host's facts, with the host's refusal to store task passwords
 * (W27) and its IIS shared configuration (W31: whether `user` is the
 * account that reads it) when there is one.
 *
 * @category utils
 */
export const snapshotOf = (
  found: Enumeration,
  user: User,
  kinds: ReadonlyArray<DependentKind>,
): HostSnapshot => {
  const target = targetOf(user);
  const host = {
    computerName: found.host.computerName,
    ...(found.host.domain === undefined ? {} : { domain: found.host.domain }),
  };
  const runsAsUser = (account: string): boolean =>
    matchesAccount(account, target, host);
  const dependents: Dependent[] = [
    ...(kinds.includes('service')
      ? found.services.filter((s) => runsAsUser(s.account))
      : []),
    ...(kinds.includes('task')
      ? found.tasks.filter(
          (task) =>
            taskStoresPassword(task.logonType) && runsAsUser(task.account),
        )
      : []),
    ...(kinds.includes('iis')
      ? found.appPools.filter(
          (p) => p.identityType === 'specific-user' && runsAsUser(p.account),
        )
      : []),
  ];

  const shared = found.iisSharedConfig;

  return {
    host: {
      ...found.host,
      ...(found.taskPasswordsBlocked ? { taskPasswordsBlocked: true } : {}),
      ...(shared === undefined
        ? {}
        : {
            iisSharedConfig: {
              path: shared.path,
              userName: shared.userName,
              accountIsUser: runsAsUser(shared.userName),
            },
          }),
    },
    dependents,
  };
};

/**
 * Reports what the snapshot cannot carry: tasks of the user on a host that
 * refuses to store task passwords (their update will fail with
 * TaskCredentialStorageBlocked), and an IIS shared configuration read with
 * the user's account (rotating it cuts the host off its configuration).
 *
 * @category utils
 */
export const warnAboutHost = (
  logger: Logger,
  machine: Machine,
  user: User,
  found: Enumeration,
  snapshot: HostSnapshot,
): void => {
  const tasks = snapshot.dependents.filter((d) => d.kind === 'task').length;
  if (found.taskPasswordsBlocked && tasks > 0) {
    logger.warn('windows.tasks.password-storage-blocked', {
      machine: machine.uid,
      user: user.uid,
      tasks,
    });
  }
  const shared = found.iisSharedConfig;
  // TODO(7): rewrite the redirection.config credentials (W31) - matters for
  // web farms whose shared configuration is read with the rotated account.
  if (
    shared !== undefined &&
    matchesAccount(shared.userName, targetOf(user), {
      computerName: found.host.computerName,
      ...(found.host.domain === undefined ? {} : { domain: found.host.domain }),
    })
  ) {
    logger.warn('windows.iis.shared-config-account', {
      machine: machine.uid,
      user: user.uid,
    });
  }
};
