/**
 * Whether an account as Windows wrote it (a service's StartName, a task's
 * principal, an app pool's userName) is the account being rotated.
 *
 * @packageDocumentation
 */

/**
 * The rotated account: its login as the operator wrote it, its scope, and
 * the names of its domain where known.
 *
 * @category model
 */
export interface AccountTarget {
  readonly login: string;
  readonly scope: 'domain' | 'local';
  readonly domain?: {
    readonly netbios: string;
    readonly dns: string;
    readonly upnSuffixes?: ReadonlyArray<string>;
  };
}

/**
 * The names of the host on which the account was written.
 *
 * @category model
 */
export interface HostNames {
  readonly computerName: string;
  readonly domain?: { readonly netbios: string; readonly dns: string };
}

/**
 * How rotor treats an account name: a `candidate` may be the rotated
 * account; the others never are and never receive a password.
 * `unrecognised` is a form Windows does not accept for a logon
 * (`HOST01\LocalSystem`, `a\b\c`, a bare SID that is not well known).
 *
 * @category model
 */
export type AccountClass =
  | 'candidate'
  | 'builtin'
  | 'virtual-account'
  | 'managed-service-account'
  | 'unrecognised';

interface ParsedAccount {
  readonly form: 'backslash' | 'upn' | 'bare';
  readonly authority: string;
  readonly name: string;
}

/**
 * Ordinal ignore-case as Windows compares account names: each character
 * upper-cased on its own, never expanded (`ß` stays `ß`).
 */
const fold = (text: string): string =>
  Array.from(text, (c) => {
    const upper = c.toUpperCase();

    return upper.length === c.length ? upper : c;
  }).join('');

const folded = (names: ReadonlyArray<string>): ReadonlySet<string> =>
  new Set(names.map(fold));

// The NT AUTHORITY domain in the languages Windows ships; an authority not
// listed here still never matches, it is only classified `unrecognised`.
const ntAuthorities = folded([
  'NT AUTHORITY',
  'NT-AUTORITÄT',
  'AUTORITE NT',
  'AUTORITÉ NT',
  'NT-INSTANTIE',
  'NT INSTANS',
  'NT-MYNDIGHET',
  'NT-MYNDIGHED',
  'AUTORIDADE NT',
  'ZARZĄDZANIE NT',
]);

const virtualAuthorities = folded([
  'NT SERVICE',
  'IIS APPPOOL',
  'NT VIRTUAL MACHINE',
  'WINDOW MANAGER',
  'FONT DRIVER HOST',
]);

// Names of the three service accounts as written without an authority, and
// their user parts in several languages.
const builtinNames = folded([
  'LocalSystem',
  'LocalService',
  'NetworkService',
  'SYSTEM',
  'LOCAL SERVICE',
  'NETWORK SERVICE',
  'LOKALER DIENST',
  'NETZWERKDIENST',
  'SERVICE LOCAL',
  'SERVICE RÉSEAU',
  'SERVICE RESEAU',
  'SERVICIO LOCAL',
  'SERVICIO DE RED',
  'SYSTÈME',
]);

const bareBuiltins = folded(['LocalSystem', 'LocalService', 'NetworkService']);

const parse = (written: string): ParsedAccount | undefined => {
  const slash = written.indexOf('\\');
  if (slash >= 0) {
    const authority = written.slice(0, slash);
    const name = written.slice(slash + 1);
    if (authority === '' || name === '' || name.includes('\\')) {
      return undefined;
    }

    return { form: 'backslash', authority, name };
  }
  const at = written.lastIndexOf('@');
  if (at >= 0) {
    const name = written.slice(0, at);
    const authority = written.slice(at + 1);
    if (authority === '' || name === '' || name.includes('@')) {
      return undefined;
    }

    return { form: 'upn', authority, name };
  }

  return written === ''
    ? undefined
    : { form: 'bare', authority: '', name: written };
};

const classifySid = (sid: string): AccountClass => {
  if (/^S-1-5-(18|19|20)$/i.test(sid)) {
    return 'builtin';
  }

  return /^S-1-5-(80|82)-/i.test(sid) ? 'virtual-account' : 'unrecognised';
};

/**
 * Classifies an account name as Windows wrote it. Built-in service
 * accounts in any spelling (`LocalSystem`, `.\LocalSystem`,
 * `NT AUTHORITY\…`, localized authorities, their SIDs), virtual accounts
 * (`NT SERVICE\…`, `IIS APPPOOL\…`) and managed service accounts (a user
 * part ending in `$`) are never candidates.
 *
 * @category utils
 */
export const classifyAccount = (written: string): AccountClass => {
  if (/^S-1-\d/i.test(written)) {
    return classifySid(written);
  }
  const account = parse(written);
  if (account === undefined) {
    return 'unrecognised';
  }
  const authority = fold(account.authority);
  const name = fold(account.name);
  if (account.form === 'backslash' && ntAuthorities.has(authority)) {
    return 'builtin';
  }
  if (account.form === 'backslash' && virtualAuthorities.has(authority)) {
    return 'virtual-account';
  }
  if (account.form === 'bare' && bareBuiltins.has(name)) {
    return 'builtin';
  }
  if (
    account.form === 'backslash' &&
    authority === '.' &&
    bareBuiltins.has(name)
  ) {
    return 'builtin';
  }
  if (builtinNames.has(name)) {
    return 'unrecognised';
  }
  if (account.name.endsWith('$')) {
    return 'managed-service-account';
  }

  return account.form === 'bare' ? 'unrecognised' : 'candidate';
};

/**
 * Whether the name is one of the built-in service accounts (LocalSystem,
 * LocalService, NetworkService) in any spelling rotor knows.
 *
 * @category utils
 */
export const isBuiltInAccount = (written: string): boolean =>
  classifyAccount(written) === 'builtin';

/**
 * Whether the name is a virtual account (`NT SERVICE\…`, `IIS APPPOOL\…`).
 *
 * @category utils
 */
export const isVirtualAccount = (written: string): boolean =>
  classifyAccount(written) === 'virtual-account';

/**
 * Whether the name is a (group) managed service account: its user part
 * ends in `$`. A `$` inside an `NT SERVICE` name is not one.
 *
 * @category utils
 */
export const isManagedServiceAccount = (written: string): boolean =>
  classifyAccount(written) === 'managed-service-account';

const domainNamesOf = (
  target: AccountTarget,
  login: ParsedAccount,
  host: HostNames,
): {
  readonly names: ReadonlySet<string>;
  readonly suffixes: ReadonlySet<string>;
} => {
  const names = new Set<string>();
  const suffixes = new Set<string>();
  if (target.domain !== undefined) {
    names.add(fold(target.domain.netbios));
    names.add(fold(target.domain.dns));
    suffixes.add(fold(target.domain.dns));
    for (const suffix of target.domain.upnSuffixes ?? []) {
      suffixes.add(fold(suffix));
    }
  }
  if (login.form === 'backslash' && login.authority !== '.') {
    names.add(fold(login.authority));
  }
  if (login.form === 'upn') {
    suffixes.add(fold(login.authority));
  }
  // The host's domain is the target's when one of its names is known.
  const hostDomain = host.domain;
  if (
    hostDomain !== undefined &&
    (names.has(fold(hostDomain.netbios)) ||
      names.has(fold(hostDomain.dns)) ||
      suffixes.has(fold(hostDomain.dns)))
  ) {
    names.add(fold(hostDomain.netbios));
    names.add(fold(hostDomain.dns));
    suffixes.add(fold(hostDomain.dns));
  }
  for (const name of names) {
    if (name.includes('.')) {
      suffixes.add(name);
    }
  }
  names.delete(fold(host.computerName));
  names.delete('.');

  return { names, suffixes };
};

const matchesLocal = (
  written: ParsedAccount,
  login: ParsedAccount,
  host: HostNames,
): boolean => {
  const computer = fold(host.computerName);
  if (login.form === 'upn') {
    return false;
  }
  if (login.form === 'backslash' && login.authority !== '.') {
    if (fold(login.authority) !== computer) {
      return false;
    }
  }

  return (
    written.form === 'backslash' &&
    (written.authority === '.' || fold(written.authority) === computer)
  );
};

// A login may be bare (`svc-app`, its scope says where it lives), but it is
// never an account without a password.
const isTargetable = (login: ParsedAccount): boolean =>
  login.form === 'bare'
    ? !builtinNames.has(fold(login.name)) && !login.name.endsWith('$')
    : classifyAccount(
        login.form === 'upn'
          ? `${login.name}@${login.authority}`
          : `${login.authority}\\${login.name}`,
      ) === 'candidate';

/**
 * Whether `written` (as Windows wrote it on `host`) is the account
 * `target`. Compares ordinal ignore-case and repairs nothing (no
 * trimming). A local target matches `.\name` and `HOST\name` of this host
 * only; a domain target matches `NETBIOS\name`, `dns.domain\name` and
 * `name@suffix` (its DNS name or a UPN suffix of the user record). A local
 * account never equals a domain account of the same name, and a built-in,
 * virtual or managed account never matches anything.
 *
 * @category utils
 */
export const matchesAccount = (
  written: string,
  target: AccountTarget,
  host: HostNames,
): boolean => {
  if (classifyAccount(written) !== 'candidate') {
    return false;
  }
  const account = parse(written);
  const login = parse(target.login);
  if (account === undefined || login === undefined || !isTargetable(login)) {
    return false;
  }
  if (fold(account.name) !== fold(login.name)) {
    return false;
  }
  if (target.scope === 'local') {
    return matchesLocal(account, login, host);
  }
  const { names, suffixes } = domainNamesOf(target, login, host);
  switch (account.form) {
    case 'backslash':
      return names.has(fold(account.authority));
    case 'upn':
      return suffixes.has(fold(account.authority));
    case 'bare':
      return false;
  }
};
