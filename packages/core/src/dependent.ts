import * as t from 'io-ts';

/**
 * The kinds of dependents rotor fixes: Windows services, scheduled tasks and
 * IIS application pools.
 *
 * @category codecs
 */
export const DependentKindCodec = t.keyof(
  { service: null, task: null, iis: null },
  'DependentKind',
);

/** @category model */
export type DependentKind = t.TypeOf<typeof DependentKindCodec>;

/** Every kind, in the order jobs handle them. @category model */
export const allKinds: ReadonlyArray<DependentKind> = [
  'service',
  'task',
  'iis',
];

/**
 * A service's state as the Service Control Manager reports it.
 *
 * @category codecs
 */
export const ServiceStateCodec = t.keyof(
  {
    running: null,
    stopped: null,
    'start-pending': null,
    'stop-pending': null,
    'continue-pending': null,
    'pause-pending': null,
    paused: null,
    unknown: null,
  },
  'ServiceState',
);

/** @category model */
export type ServiceState = t.TypeOf<typeof ServiceStateCodec>;

/**
 * A service's start mode; `delayed-auto` is Automatic (Delayed Start).
 *
 * @category codecs
 */
export const StartModeCodec = t.keyof(
  {
    auto: null,
    'delayed-auto': null,
    manual: null,
    disabled: null,
    boot: null,
    system: null,
    unknown: null,
  },
  'StartMode',
);

/** @category model */
export type StartMode = t.TypeOf<typeof StartModeCodec>;

/**
 * A scheduled task's logon type (TASK_LOGON_TYPE). Only `password` stores a
 * password that must be rewritten.
 *
 * @category codecs
 */
export const TaskLogonTypeCodec = t.keyof(
  {
    password: null,
    s4u: null,
    'interactive-token': null,
    group: null,
    'service-account': null,
    'interactive-token-or-password': null,
    none: null,
    unknown: null,
  },
  'TaskLogonType',
);

/** @category model */
export type TaskLogonType = t.TypeOf<typeof TaskLogonTypeCodec>;

/** A scheduled task's state. @category codecs */
export const TaskStateCodec = t.keyof(
  {
    ready: null,
    running: null,
    disabled: null,
    queued: null,
    unknown: null,
  },
  'TaskState',
);

/** @category model */
export type TaskState = t.TypeOf<typeof TaskStateCodec>;

/**
 * An app pool's identity type. Only `specific-user` holds a password.
 *
 * @category codecs
 */
export const IdentityTypeCodec = t.keyof(
  {
    'specific-user': null,
    'application-pool-identity': null,
    'local-system': null,
    'local-service': null,
    'network-service': null,
  },
  'IdentityType',
);

/** @category model */
export type IdentityType = t.TypeOf<typeof IdentityTypeCodec>;

/** An app pool's state. @category codecs */
export const AppPoolStateCodec = t.keyof(
  {
    started: null,
    stopped: null,
    starting: null,
    stopping: null,
    unknown: null,
  },
  'AppPoolState',
);

/** @category model */
export type AppPoolState = t.TypeOf<typeof AppPoolStateCodec>;

/**
 * A service that logs on as the rotated account, as found before any
 * change. `dependentServices` are the services that depend on it, with the
 * state each had.
 *
 * @category codecs
 */
export const ServiceDependentCodec = t.type(
  {
    kind: t.literal('service'),
    name: t.string,
    displayName: t.string,
    state: ServiceStateCodec,
    startMode: StartModeCodec,
    account: t.string,
    dependentServices: t.array(
      t.type({ name: t.string, state: ServiceStateCodec }),
    ),
  },
  'ServiceDependent',
);

/** @category model */
export type ServiceDependent = t.TypeOf<typeof ServiceDependentCodec>;

/**
 * A scheduled task; `name` is its full path (`\Folder\Task`).
 *
 * @category codecs
 */
export const TaskDependentCodec = t.type(
  {
    kind: t.literal('task'),
    name: t.string,
    account: t.string,
    logonType: TaskLogonTypeCodec,
    state: TaskStateCodec,
  },
  'TaskDependent',
);

/** @category model */
export type TaskDependent = t.TypeOf<typeof TaskDependentCodec>;

/** An IIS application pool. @category codecs */
export const AppPoolDependentCodec = t.type(
  {
    kind: t.literal('iis'),
    name: t.string,
    identityType: IdentityTypeCodec,
    account: t.string,
    state: AppPoolStateCodec,
  },
  'AppPoolDependent',
);

/** @category model */
export type AppPoolDependent = t.TypeOf<typeof AppPoolDependentCodec>;

/** Any dependent, told apart by `kind`. @category codecs */
export const DependentCodec = t.union(
  [ServiceDependentCodec, TaskDependentCodec, AppPoolDependentCodec],
  'Dependent',
);

/** @category model */
export type Dependent = t.TypeOf<typeof DependentCodec>;

/**
 * What identifies a dependent on its machine: its kind and its name (a
 * task's full path). Windows compares these names case-insensitively, and so
 * does {@link dependentKey}.
 *
 * @category model
 */
export interface DependentRef {
  readonly kind: DependentKind;
  readonly name: string;
}

/**
 * A string key for a dependent on one machine, equal for names that Windows
 * holds to be the same.
 *
 * @category utils
 */
export const dependentKey = (ref: DependentRef): string =>
  `${ref.kind}:${ref.name.toLowerCase()}`;

/**
 * What the host said about itself when its dependents were enumerated.
 * Optional facts (added; older events have none):
 *
 * - `taskPasswordsBlocked`: the host refuses to store task passwords
 *   (Lsa `DisableDomainCreds = 1`, W27), so updating a task that stores
 *   one fails with `TaskCredentialStorageBlocked` and the task keeps its
 *   old password;
 * - `iisSharedConfig`: IIS reads a shared configuration at `path` as
 *   `userName` (never its password, W31); `accountIsUser` says whether
 *   that is the rotated user, whose rotation then cuts the host off its
 *   IIS configuration until `redirection.config` is updated, which rotor
 *   does not do.
 *
 * @category codecs
 */
export const HostFactsCodec = t.intersection(
  [
    t.type({ computerName: t.string, iisInstalled: t.boolean }),
    t.partial({
      domain: t.type({ netbios: t.string, dns: t.string }),
      taskPasswordsBlocked: t.boolean,
      iisSharedConfig: t.type({
        path: t.string,
        userName: t.string,
        accountIsUser: t.boolean,
      }),
    }),
  ],
  'HostFacts',
);

/** @category model */
export type HostFacts = t.TypeOf<typeof HostFactsCodec>;
