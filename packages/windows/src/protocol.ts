import * as t from 'io-ts';

/**
 * The wire protocol between the gateway and a Windows host. Each operation
 * is one `.ps1` file whose first line is `# rotor-operation: <name>`. The
 * host runs a fixed bootstrap (see `bootstrap.ts`) that reads two lines from
 * stdin: the script as base64 of its UTF-8 text, then the operation's input
 * as one line of JSON in which every character above U+007E is written as a
 * `\u` escape, so the bytes survive any console code page. The script prints
 * exactly one JSON document, ASCII-escaped the same way, shaped as
 * {@link Envelope}: `{"ok":true,"result":…}` with exit code 0, or
 * `{"ok":false,"error":{…}}` with exit code 1.
 *
 * The raw result shapes below are what the scripts print; they follow what
 * Windows PowerShell 5.1 gives (PascalCase names as the cmdlets print them,
 * enums as numbers or names). The decoders in `decode.ts` normalise them.
 *
 * @packageDocumentation
 */

/** The operations, by name. @category model */
export const operationNames = [
  'enumerate-dependents',
  'set-service-credential',
  'restart-service',
  'set-task-credential',
  'set-apppool-credential',
  'recycle-apppool',
  'change-local-password',
  'change-domain-password',
  'test-logon',
] as const;

/** @category model */
export type OperationName = (typeof operationNames)[number];

/**
 * A failure reported by a script: the Windows error number (a Win32 error,
 * a Win32_Service return value, or an HRESULT as a signed 32-bit number),
 * its symbolic name where known, and a message with no secret in it.
 * A condition a script detects and names itself (`AccountChanged`,
 * `NoStoredPassword`, `IisModuleUnavailable`, …) has code -1.
 * `underlying` (optional) is the Win32 logon error behind a service logon
 * failure (1069), when the host's System log names it.
 *
 * @category codecs
 */
export const RemoteErrorCodec = t.intersection(
  [
    t.type({ code: t.number, name: t.string, message: t.string }),
    // Added: the logon error behind a 1069, read from System event 7038.
    t.partial({ underlying: t.number }),
  ],
  'RemoteError',
);

/** @category model */
export type RemoteError = t.TypeOf<typeof RemoteErrorCodec>;

// --- inputs (what the gateway writes on stdin) ------------------------------

/** @category codecs */
export const EnumerateInputCodec = t.type({
  kinds: t.array(t.keyof({ service: null, task: null, iis: null })),
});

/** @category codecs */
export const SetServiceCredentialInputCodec = t.type({
  name: t.string,
  account: t.string,
  password: t.string,
});

/**
 * Restart a service that is running: stop its running dependents, stop it,
 * start it, start those dependents again. `timeoutSeconds` bounds the wait
 * for each pending state.
 *
 * @category codecs
 */
export const RestartServiceInputCodec = t.type({
  name: t.string,
  timeoutSeconds: t.number,
});

/** `path` is the task's full path, `\Folder\Name`. @category codecs */
export const SetTaskCredentialInputCodec = t.type({
  path: t.string,
  account: t.string,
  password: t.string,
});

/** @category codecs */
export const SetAppPoolCredentialInputCodec = t.type({
  name: t.string,
  account: t.string,
  password: t.string,
});

/** @category codecs */
export const RecycleAppPoolInputCodec = t.type({ name: t.string });

/** `account` is the local account's name without a domain. @category codecs */
export const ChangeLocalPasswordInputCodec = t.type({
  account: t.string,
  password: t.string,
});

/**
 * `account` is the sAMAccountName; run on a domain controller or a member
 * with the ActiveDirectory module.
 *
 * @category codecs
 */
export const ChangeDomainPasswordInputCodec = t.type({
  account: t.string,
  password: t.string,
});

/** `account` as `DOMAIN\name` or `.\name`. @category codecs */
export const TestLogonInputCodec = t.type({
  account: t.string,
  password: t.string,
});

// --- raw results (what the scripts print under "result") -------------------

const numOrString = t.union([t.number, t.string]);
const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/**
 * One service as Win32_Service gives it. `State` is a name (`Running`) or a
 * number (4); `StartMode` is `Auto`/`Manual`/`Disabled`/`Boot`/`System`;
 * `DelayedAutoStart` is true for Automatic (Delayed Start).
 * `DependentServices` may be one object instead of an array, or null.
 *
 * @category codecs
 */
export const RawServiceCodec = t.type({
  Name: t.string,
  DisplayName: nullable(t.string),
  State: numOrString,
  StartMode: numOrString,
  DelayedAutoStart: nullable(t.boolean),
  StartName: nullable(t.string),
  DependentServices: t.unknown,
});

/**
 * One scheduled task as Get-ScheduledTask gives it. `LogonType` and `State`
 * are names or numbers.
 *
 * @category codecs
 */
export const RawTaskCodec = t.type({
  TaskPath: t.string,
  TaskName: t.string,
  UserId: nullable(t.string),
  LogonType: numOrString,
  State: numOrString,
});

/** One app pool as the WebAdministration provider gives it. @category codecs */
export const RawAppPoolCodec = t.type({
  Name: t.string,
  IdentityType: numOrString,
  UserName: nullable(t.string),
  State: numOrString,
});

/**
 * The result of `enumerate-dependents`: the host's names, whether IIS is
 * installed, and every service, task and pool of the asked kinds (all of
 * them: matching happens in TypeScript). Each list may be an array, one
 * object, or null, as PowerShell 5.1 prints them.
 *
 * @category codecs
 */
export const RawEnumerateResultCodec = t.intersection([
  t.type({
    ComputerName: t.string,
    DomainNetbios: nullable(t.string),
    DomainDns: nullable(t.string),
    IisInstalled: t.boolean,
    Services: t.unknown,
    Tasks: t.unknown,
    AppPools: t.unknown,
  }),
  // Added, optional: whether the host refuses to store task passwords
  // (Lsa DisableDomainCreds = 1), and the IIS shared configuration's path
  // and account ({Path, UserName} or null), never its password.
  t.partial({
    TaskPasswordsBlocked: t.boolean,
    IisSharedConfig: t.unknown,
  }),
]);

/** @category codecs */
export const RawRestartResultCodec = t.type({
  DependentsRestarted: t.unknown,
});

/** @category codecs */
export const RawRecycleResultCodec = t.type({ Recycled: t.boolean });

/**
 * The document every script prints.
 *
 * @category codecs
 */
export const EnvelopeCodec = t.union([
  t.type({ ok: t.literal(true), result: t.unknown }),
  t.type({ ok: t.literal(false), error: RemoteErrorCodec }),
]);

/** @category model */
export type Envelope = t.TypeOf<typeof EnvelopeCodec>;
