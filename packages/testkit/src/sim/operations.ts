import * as E from 'fp-ts/lib/Either.js';
import {
  ChangeDomainPasswordInputCodec,
  ChangeLocalPasswordInputCodec,
  EnumerateInputCodec,
  type OperationName,
  RecycleAppPoolInputCodec,
  RestartServiceInputCodec,
  SetAppPoolCredentialInputCodec,
  SetServiceCredentialInputCodec,
  SetTaskCredentialInputCodec,
  TestLogonInputCodec,
} from '@rotor/windows';
import {
  changeDomainPassword,
  changeLocalPassword,
  testLogon,
} from './accountOperations.js';
import { map } from './either.js';
import { enumerateRaw, printList } from './enumerate.js';
import { restartService } from './restartService.js';
import {
  passwordAccountCheck,
  plainAccountCheck,
  plainNameCheck,
  sameAccountCheck,
  taskPathCheck,
} from './scriptChecks.js';
import { type Handler, guarded, op } from './handler.js';
import { setServiceCredential } from './serviceControl.js';
import {
  poolMissing,
  recycleAppPool,
  setAppPoolCredential,
  setTaskCredential,
} from './taskAndPool.js';
import {
  type WinError,
  comError,
  scriptError,
  winError,
} from './windowsErrors.js';

const takesPassword = new Set(['password', 'interactive-token-or-password']);

/**
 * Every operation of `protocol.ts`, with the checks its script makes
 * before acting and the result document it prints.
 *
 * @category testing
 */
export const operations: Record<OperationName, Handler> = {
  'enumerate-dependents': op(
    'enumerate-dependents',
    EnumerateInputCodec,
    (host, i, q, stage) => {
      stage.begin();
      const result = enumerateRaw(host, i.kinds, q);
      host.record('enumerate-dependents', result);

      return result;
    },
  ),
  'set-service-credential': op(
    'set-service-credential',
    SetServiceCredentialInputCodec,
    (host, i, _q, stage) =>
      guarded(
        stage,
        `set the password of service ${i.name} (account ${i.account})`,
        [
          () => passwordAccountCheck(host, i.account),
          () =>
            host.service(i.name) === undefined
              ? winError(
                  'ERROR_SERVICE_DOES_NOT_EXIST',
                  `service ${i.name} does not exist`,
                )
              : undefined,
          () =>
            sameAccountCheck(
              host,
              host.service(i.name)?.account ?? null,
              i.account,
              `service ${i.name}`,
            ),
        ],
        () =>
          map(
            setServiceCredential(host, i.name, i.account, i.password),
            () => ({ ReturnValue: 0 }),
          ),
      ),
  ),
  'restart-service': op(
    'restart-service',
    RestartServiceInputCodec,
    (host, i, q, stage) =>
      guarded(
        stage,
        null,
        [
          () => plainNameCheck(i.name, 'the service name'),
          ...(i.startDependents ?? []).map(
            (d) => () => plainNameCheck(d, 'a dependent service name'),
          ),
        ],
        () =>
          map(
            restartService(host, i.name, {
              onBegin: (change) => stage.begin(change),
              startIfStopped: i.startIfStopped === true,
              startDependents: i.startDependents ?? [],
            }),
            (names) => ({ DependentsRestarted: printList(names, q) }),
          ),
      ),
  ),
  'set-task-credential': op(
    'set-task-credential',
    SetTaskCredentialInputCodec,
    (host, i, _q, stage) => {
      const task = () => host.task(i.path);

      return guarded(
        stage,
        `set the password of task ${i.path} (account ${i.account})`,
        [
          () => passwordAccountCheck(host, i.account),
          () => taskPathCheck(i.path),
          // GetTask throws before anything is registered.
          () =>
            task() === undefined
              ? comError('ERROR_FILE_NOT_FOUND', `task ${i.path}`)
              : undefined,
          () => {
            const found = task();

            return found !== undefined && !takesPassword.has(found.logonType)
              ? scriptError(
                  'NoStoredPassword',
                  `task ${found.path} has a logon type that stores no password`,
                )
              : undefined;
          },
          () => {
            const found = task();

            return found === undefined
              ? undefined
              : sameAccountCheck(
                  host,
                  found.userId,
                  i.account,
                  `task ${found.path}`,
                );
          },
        ],
        () =>
          map(setTaskCredential(host, i.path, i.account, i.password), () => ({
            Path: i.path,
          })),
      );
    },
  ),
  'set-apppool-credential': op(
    'set-apppool-credential',
    SetAppPoolCredentialInputCodec,
    (host, i, _q, stage) => {
      const pool = () => host.appPool(i.name);

      return guarded(
        stage,
        `set the password of application pool ${i.name} (account ${i.account})`,
        [
          () => passwordAccountCheck(host, i.account),
          () => poolMissing(host, i.name),
          () =>
            pool()?.identityType === 'specific-user'
              ? undefined
              : scriptError(
                  'NotSpecificUser',
                  `application pool ${i.name} holds no password`,
                ),
          () =>
            sameAccountCheck(
              host,
              pool()?.userName ?? null,
              i.account,
              `application pool ${i.name}`,
            ),
        ],
        () =>
          map(
            setAppPoolCredential(host, i.name, i.account, i.password),
            () => ({ Name: i.name }),
          ),
      );
    },
  ),
  'recycle-apppool': op(
    'recycle-apppool',
    RecycleAppPoolInputCodec,
    (host, i, _q, stage) =>
      guarded(
        stage,
        null,
        [
          () => plainNameCheck(i.name, 'the application pool name'),
          () => poolMissing(host, i.name),
        ],
        () =>
          map(
            recycleAppPool(host, i.name, () =>
              stage.begin(`recycle application pool ${i.name}`),
            ),
            (recycled) => ({ Recycled: recycled }),
          ),
      ),
  ),
  'change-local-password': op(
    'change-local-password',
    ChangeLocalPasswordInputCodec,
    (host, i, _q, stage) =>
      guarded(
        stage,
        `change the password of local account ${i.account}`,
        [() => plainAccountCheck(i.account)],
        () =>
          map(changeLocalPassword(host, i.account, i.password), () => ({
            Account: i.account,
          })),
      ),
  ),
  'change-domain-password': op(
    'change-domain-password',
    ChangeDomainPasswordInputCodec,
    (host, i, _q, stage) =>
      guarded(
        stage,
        `reset the password of domain account ${i.account}`,
        [
          () => plainAccountCheck(i.account),
          () =>
            host.domain === undefined || !host.activeDirectoryModule
              ? scriptError(
                  'ActiveDirectoryModuleMissing',
                  'the ActiveDirectory module is not available on this host',
                )
              : undefined,
        ],
        () =>
          map(changeDomainPassword(host, i.account, i.password), () => ({
            Account: i.account,
          })),
      ),
  ),
  'test-logon': op('test-logon', TestLogonInputCodec, (host, i, _q, stage) =>
    guarded(
      stage,
      undefined,
      [
        () =>
          i.account.slice(i.account.indexOf('\\') + 1).trim() === ''
            ? winError(
                'ERROR_INVALID_PARAMETER',
                'the account has no user name',
              )
            : undefined,
      ],
      () =>
        E.bimap(
          (e: WinError) => ({ ...e, message: `logon of ${i.account} refused` }),
          () => ({ LoggedOn: true }),
        )(testLogon(host, i.account, i.password)),
    ),
  ),
};
