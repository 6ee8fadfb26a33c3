import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
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
import { setServiceCredential } from './serviceControl.js';
import type { SimHost } from './simHost.js';
import type { PsQuirks } from './simTypes.js';
import {
  poolMissing,
  recycleAppPool,
  setAppPoolCredential,
  setTaskCredential,
} from './taskAndPool.js';
import { type WinError, scriptError, winError } from './windowsErrors.js';

/** One operation: input JSON text in, result or error out. */
export type Handler = (
  host: SimHost,
  input: string,
  quirks: PsQuirks,
) => E.Either<WinError, unknown>;

type Run<A> = (
  host: SimHost,
  input: A,
  quirks: PsQuirks,
) => E.Either<WinError, unknown>;

const invalidInput = (op: string, errors: t.Errors): WinError => {
  // Key names only: a value may be a password.
  const keys = new Set(
    errors.map((e) =>
      e.context
        .map((c) => c.key)
        .filter((k) => k !== '')
        .join('.'),
    ),
  );

  return winError(
    'ERROR_INVALID_PARAMETER',
    `input for ${op} is not valid at: ${[...keys].join(', ') || '(root)'}`,
  );
};

const op =
  <A>(
    name: OperationName,
    codec: t.Decoder<unknown, A>,
    run: Run<A>,
  ): Handler =>
  (host, text, quirks) => {
    const json = E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => undefined,
    );
    if (E.isLeft(json)) {
      return E.left(
        winError(
          'ERROR_INVALID_PARAMETER',
          'the input is not one JSON document',
        ),
      );
    }
    const input = codec.decode(json.right);

    return E.isLeft(input)
      ? E.left(invalidInput(name, input.left))
      : run(host, input.right, quirks);
  };

/** The first check that fails, else the action. */
const guarded = <A>(
  checks: ReadonlyArray<() => WinError | undefined>,
  action: () => E.Either<WinError, A>,
): E.Either<WinError, A> => {
  for (const check of checks) {
    const failed = check();
    if (failed !== undefined) {
      return E.left(failed);
    }
  }

  return action();
};

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
    (host, i, q) => {
      const result = enumerateRaw(host, i.kinds, q);
      host.record('enumerate-dependents', E.right(result));

      return E.right(result);
    },
  ),
  'set-service-credential': op(
    'set-service-credential',
    SetServiceCredentialInputCodec,
    (host, i) =>
      guarded(
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
    (host, i, q) =>
      guarded([() => plainNameCheck(i.name, 'the service name')], () =>
        map(restartService(host, i.name), (names) => ({
          DependentsRestarted: printList(names, q),
        })),
      ),
  ),
  'set-task-credential': op(
    'set-task-credential',
    SetTaskCredentialInputCodec,
    (host, i) => {
      const task = () => host.task(i.path);

      return guarded(
        [
          () => passwordAccountCheck(host, i.account),
          () => taskPathCheck(i.path),
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
    (host, i) => {
      const pool = () => host.appPool(i.name);

      return guarded(
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
    (host, i) =>
      guarded([() => plainNameCheck(i.name, 'the application pool name')], () =>
        map(recycleAppPool(host, i.name), (recycled) => ({
          Recycled: recycled,
        })),
      ),
  ),
  'change-local-password': op(
    'change-local-password',
    ChangeLocalPasswordInputCodec,
    (host, i) =>
      guarded([() => plainAccountCheck(i.account)], () =>
        map(changeLocalPassword(host, i.account, i.password), () => ({
          Account: i.account,
        })),
      ),
  ),
  'change-domain-password': op(
    'change-domain-password',
    ChangeDomainPasswordInputCodec,
    (host, i) =>
      guarded([() => plainAccountCheck(i.account)], () =>
        map(changeDomainPassword(host, i.account, i.password), () => ({
          Account: i.account,
        })),
      ),
  ),
  'test-logon': op('test-logon', TestLogonInputCodec, (host, i) =>
    guarded(
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
