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

/**
 * Fields `remoteCommand` adds to every operation's input (W21): a random
 * 128-bit `nonce` (32 lowercase hex digits) that the envelope echoes, and
 * the SHA-256 of the script's UTF-8 text (64 lowercase hex digits), which
 * the bootstrap checks before it runs the script. Optional so that an
 * input written by hand still decodes.
 *
 * @category codecs
 */
export const IntegrityFieldsCodec = t.partial({
  nonce: t.string,
  scriptSha256: t.string,
});

/** @category model */
export type IntegrityFields = t.TypeOf<typeof IntegrityFieldsCodec>;

/**
 * The optional field of every operation that changes the host: the job on
 * whose behalf it runs, named in the entry the script writes to the
 * host's Application event log (source `rotor`).
 *
 * @category codecs
 */
export const AuditFieldsCodec = t.partial({ jobId: t.string });

/** @category model */
export type AuditFields = t.TypeOf<typeof AuditFieldsCodec>;

/** @category codecs */
export const EnumerateInputCodec = t.type({
  kinds: t.array(t.keyof({ service: null, task: null, iis: null })),
});

/** @category codecs */
export const SetServiceCredentialInputCodec = t.intersection([
  t.type({
    name: t.string,
    account: t.string,
    password: t.string,
  }),
  AuditFieldsCodec,
]);

/**
 * Restart a service that is running: stop its running dependents, stop it,
 * start it, start those dependents again. `timeoutSeconds` bounds the wait
 * for each pending state.
 *
 * A stopped service is refused (1062) unless `startIfStopped` is true:
 * the caller's snapshot saw it running (rotor's own failed restart left it
 * stopped), so the script starts it, then starts the services named in
 * `startDependents` (those the snapshot saw running) that are stopped.
 * Without the flag `startDependents` is ignored.
 *
 * @category codecs
 */
export const RestartServiceInputCodec = t.intersection([
  t.type({
    name: t.string,
    timeoutSeconds: t.number,
  }),
  t.partial({
    startIfStopped: t.boolean,
    startDependents: t.array(t.string),
  }),
  AuditFieldsCodec,
]);

/** `path` is the task's full path, `\Folder\Name`. @category codecs */
export const SetTaskCredentialInputCodec = t.intersection([
  t.type({
    path: t.string,
    account: t.string,
    password: t.string,
  }),
  AuditFieldsCodec,
]);

/** @category codecs */
export const SetAppPoolCredentialInputCodec = t.intersection([
  t.type({
    name: t.string,
    account: t.string,
    password: t.string,
  }),
  AuditFieldsCodec,
]);

/** @category codecs */
export const RecycleAppPoolInputCodec = t.intersection([
  t.type({ name: t.string }),
  AuditFieldsCodec,
]);

/** `account` is the local account's name without a domain. @category codecs */
export const ChangeLocalPasswordInputCodec = t.intersection([
  t.type({
    account: t.string,
    password: t.string,
  }),
  AuditFieldsCodec,
]);

/**
 * `account` is the sAMAccountName; run on a domain controller or a member
 * with the ActiveDirectory module.
 *
 * @category codecs
 */
export const ChangeDomainPasswordInputCodec = t.intersection([
  t.type({
    account: t.string,
    password: t.string,
  }),
  AuditFieldsCodec,
]);

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
export const EnvelopeCodec = t.intersection([
  t.union([
    t.type({ ok: t.literal(true), result: t.unknown }),
    t.type({ ok: t.literal(false), error: RemoteErrorCodec }),
  ]),
  // Added: the input's nonce, echoed (W21); absent in the old form.
  t.partial({ nonce: t.string }),
]);

/**
 * The marker lines a run prints on stdout around its envelope (W23, W24),
 * each a line of its own starting with `##rotor `:
 *
 * - `##rotor LANGMODE <mode>`: the bootstrap's first line, PowerShell's
 *   language mode; anything but `FullLanguage` stops the run there;
 * - `##rotor BEGIN`: the script read and checked its input and is about to
 *   make its first change (read-only operations print it too); a run
 *   that ends without it changed nothing;
 * - `##rotor END`: printed right after the envelope, which is the last
 *   non-empty line before it. Banners or profile output before the
 *   envelope, and anything after `END`, are noise.
 *
 * @category model
 */
export const stdoutMarkers = {
  prefix: '##rotor ',
  languageMode: '##rotor LANGMODE ',
  begin: '##rotor BEGIN',
  end: '##rotor END',
} as const;

/** @category model */
export type Envelope = t.TypeOf<typeof EnvelopeCodec>;
