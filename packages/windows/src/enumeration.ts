import * as t from 'io-ts';
import type {
  AppPoolDependent,
  HostFacts,
  ServiceDependent,
  TaskDependent,
} from '@rotor/core';
import {
  AppPoolStateFromWindows,
  IdentityTypeFromWindows,
  ServiceStateFromWindows,
  StartModeFromWindows,
  TaskLogonTypeFromWindows,
  TaskStateFromWindows,
  listOf,
} from './windowsValues.js';

/**
 * Everything `enumerate-dependents` found, in rotor's vocabulary: every
 * service, task and pool of the asked kinds, not yet matched to an account.
 *
 * @category model
 */
export interface Enumeration {
  readonly host: HostFacts;
  readonly services: ReadonlyArray<ServiceDependent>;
  readonly tasks: ReadonlyArray<TaskDependent>;
  readonly appPools: ReadonlyArray<AppPoolDependent>;
  /** The host refuses to store task passwords (0x80070520 on update). */
  readonly taskPasswordsBlocked: boolean;
  /** The account that reads an IIS shared configuration, if one is used. */
  readonly iisSharedConfig?: {
    readonly path: string;
    readonly userName: string;
  };
}

const nullableString = t.union([t.string, t.null, t.undefined]);

const ServiceRowCodec = t.type({
  Name: t.string,
  DisplayName: nullableString,
  State: ServiceStateFromWindows,
  StartMode: StartModeFromWindows,
  DelayedAutoStart: t.union([t.boolean, t.null, t.undefined]),
  StartName: nullableString,
  DependentServices: listOf(
    t.type({ Name: t.string, State: ServiceStateFromWindows }),
  ),
});

const TaskRowCodec = t.type({
  TaskPath: t.string,
  TaskName: t.string,
  UserId: nullableString,
  LogonType: TaskLogonTypeFromWindows,
  State: TaskStateFromWindows,
});

const AppPoolRowCodec = t.type({
  Name: t.string,
  IdentityType: IdentityTypeFromWindows,
  UserName: nullableString,
  State: AppPoolStateFromWindows,
});

/**
 * The result of `enumerate-dependents` as 5.1 and 7 print it.
 *
 * @category codecs
 */
export const EnumerationCodec = t.intersection([
  t.type({
    ComputerName: t.string,
    DomainNetbios: nullableString,
    DomainDns: nullableString,
    IisInstalled: t.boolean,
    Services: listOf(ServiceRowCodec),
    Tasks: listOf(TaskRowCodec),
    AppPools: listOf(AppPoolRowCodec),
  }),
  t.partial({
    TaskPasswordsBlocked: t.union([t.boolean, t.null]),
    IisSharedConfig: t.union([
      t.type({ Path: nullableString, UserName: nullableString }),
      t.null,
    ]),
  }),
]);

const taskName = (path: string, name: string): string =>
  `${path.endsWith('\\') ? path : `${path}\\`}${name}`;

/**
 * The raw enumeration in rotor's vocabulary.
 *
 * @category utils
 */
export const toEnumeration = (
  raw: t.TypeOf<typeof EnumerationCodec>,
): Enumeration => {
  const domain =
    raw.DomainNetbios != null &&
    raw.DomainNetbios !== '' &&
    raw.DomainDns != null &&
    raw.DomainDns !== ''
      ? { domain: { netbios: raw.DomainNetbios, dns: raw.DomainDns } }
      : {};

  const shared = raw.IisSharedConfig;

  return {
    host: {
      computerName: raw.ComputerName,
      iisInstalled: raw.IisInstalled,
      ...domain,
    },
    taskPasswordsBlocked: raw.TaskPasswordsBlocked === true,
    ...(shared == null
      ? {}
      : {
          iisSharedConfig: {
            path: shared.Path ?? '',
            userName: shared.UserName ?? '',
          },
        }),
    services: raw.Services.map((s) => ({
      kind: 'service',
      name: s.Name,
      displayName: s.DisplayName ?? s.Name,
      state: s.State,
      startMode:
        s.StartMode === 'auto' && s.DelayedAutoStart === true
          ? 'delayed-auto'
          : s.StartMode,
      account: s.StartName ?? '',
      dependentServices: s.DependentServices.map((d) => ({
        name: d.Name,
        state: d.State,
      })),
    })),
    tasks: raw.Tasks.map((task) => ({
      kind: 'task',
      name: taskName(task.TaskPath, task.TaskName),
      account: task.UserId ?? '',
      logonType: task.LogonType,
      state: task.State,
    })),
    appPools: raw.AppPools.map((p) => ({
      kind: 'iis',
      name: p.Name,
      identityType: p.IdentityType,
      account: p.UserName ?? '',
      state: p.State,
    })),
  };
};
