import * as E from 'fp-ts/lib/Either.js';
import type { DependentKind } from '@rotor/core';
import {
  appPoolStateRaw,
  identityTypeRaw,
  printEnum,
  serviceStateRaw,
  startModeRaw,
  taskLogonTypeRaw,
  taskStateRaw,
} from './rawEnums.js';
import type { SimHost } from './simHost.js';
import type { PsQuirks, SimService, SimTask } from './simTypes.js';
import { type WinError, hresultOf, scriptError } from './windowsErrors.js';

/**
 * A list as PowerShell 5.1 may print it: `null` for none, the element
 * itself for one, `{value, Count}` for several, when those quirks are on.
 *
 * @category testing
 */
export const printList = (
  items: ReadonlyArray<unknown>,
  quirks: PsQuirks,
): unknown => {
  if (items.length === 0 && quirks.nullForEmpty === true) {
    return null;
  }
  if (items.length === 1 && quirks.singleObjectForOne === true) {
    return items[0];
  }
  if (items.length > 1 && quirks.valueCountWrapper === true) {
    return { value: [...items], Count: items.length };
  }

  return [...items];
};

/** Every service depending on `s`, directly or not, breadth first. */
const allDependents = (host: SimHost, s: SimService): SimService[] => {
  const found: SimService[] = [];
  const queue = [s.name.toLowerCase()];
  for (
    let current = queue.shift();
    current !== undefined;
    current = queue.shift()
  ) {
    for (const d of host.services.values()) {
      const key = d.name.toLowerCase();
      const depends = d.dependsOn.some((n) => n.toLowerCase() === current);
      if (depends && !found.includes(d) && key !== s.name.toLowerCase()) {
        found.push(d);
        queue.push(key);
      }
    }
  }

  return found;
};

/**
 * A task principal as the script prints it: a bare name is resolved to
 * `HOST\name` or `NETBIOS\name`, as a SID lookup gives it.
 */
const principalOf = (host: SimHost, userId: string | null): string | null => {
  if (userId === null || userId.includes('\\') || userId.includes('@')) {
    return userId;
  }
  const resolved = host.canonicalAccount(userId);
  switch (resolved.kind) {
    case 'local':
      return `${host.computerName}\\${resolved.sam}`;
    case 'domain':
      return `${host.domain?.netbios ?? host.computerName}\\${resolved.sam}`;
    case 'builtin':
    case 'virtual':
    case 'managed':
    case 'unqualified':
    case 'unknown':
      return userId;
  }
};

const rawService = (host: SimHost, s: SimService, q: PsQuirks) => {
  const num = q.enumsAsNumbers === true;

  return {
    Name: s.name,
    DisplayName: s.displayName,
    State: printEnum(serviceStateRaw[s.state], num),
    StartMode: printEnum(startModeRaw[s.startMode], num),
    DelayedAutoStart: s.startMode === 'delayed-auto',
    StartName: s.account,
    DependentServices: printList(
      allDependents(host, s).map((d) => ({
        Name: d.name,
        State: printEnum(serviceStateRaw[d.state], num),
      })),
      q,
    ),
  };
};

const rawTask = (host: SimHost, t: SimTask, q: PsQuirks) => {
  const cut = t.path.lastIndexOf('\\');
  const num = q.enumsAsNumbers === true;

  return {
    TaskPath: t.path.slice(0, cut + 1) || '\\',
    TaskName: t.path.slice(cut + 1),
    UserId: principalOf(host, t.userId),
    LogonType: printEnum(taskLogonTypeRaw[t.logonType], num),
    State: printEnum(taskStateRaw[t.state], num),
  };
};

/**
 * What `enumerate-dependents` prints under `result`: the host's names and
 * every service, task and pool of the asked kinds, with the raw fields of
 * `RawEnumerateResultCodec` (`TaskPath` ends in `\`; `DependentServices`
 * are all services depending on it, directly or not, each `{Name, State}`). Kinds not asked for
 * are empty lists; pools are empty when IIS is absent. Also whether the
 * host refuses to store task passwords (W27) and its IIS shared
 * configuration's path and account (W31); a shared configuration that
 * cannot be read fails the listing as `SharedConfigUnreadable`.
 *
 * @category testing
 */
export const enumerateRaw = (
  host: SimHost,
  kinds: ReadonlyArray<DependentKind>,
  quirks: PsQuirks,
): E.Either<WinError, unknown> => {
  const num = quirks.enumsAsNumbers === true;
  const services = kinds.includes('service')
    ? [...host.services.values()].map((s) => rawService(host, s, quirks))
    : [];
  const tasks = kinds.includes('task')
    ? [...host.tasks.values()].map((t) => rawTask(host, t, quirks))
    : [];
  const pools =
    kinds.includes('iis') && host.iisInstalled
      ? [...host.appPools.values()].map((p) => ({
          Name: p.name,
          IdentityType: printEnum(identityTypeRaw[p.identityType], num),
          UserName: p.userName,
          State: printEnum(appPoolStateRaw[p.state], num),
        }))
      : [];

  const shared =
    kinds.includes('iis') && host.iisInstalled
      ? host.iisSharedConfig
      : undefined;
  if (shared !== undefined && !shared.readable) {
    return E.left(
      scriptError(
        'SharedConfigUnreadable',
        `the IIS shared configuration at ${shared.path} (read as ${shared.userName}) cannot be read`,
        hresultOf('ERROR_LOGON_FAILURE'),
      ),
    );
  }

  return E.right({
    ComputerName: host.computerName,
    DomainNetbios: host.domain?.netbios ?? null,
    DomainDns: host.domain?.dns ?? null,
    IisInstalled: host.iisInstalled,
    Services: printList(services, quirks),
    Tasks: printList(tasks, quirks),
    AppPools: printList(pools, quirks),
    TaskPasswordsBlocked: host.taskPasswordsBlocked,
    IisSharedConfig:
      shared === undefined
        ? null
        : { Path: shared.path, UserName: shared.userName },
  });
};
