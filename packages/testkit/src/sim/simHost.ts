import * as E from 'fp-ts/lib/Either.js';
import { type DependentRef, dependentKey } from '@rotor/core';
import { AccountBook, type SimAccountSpec } from './accountBook.js';
import {
  type NameContext,
  type ResolvedAccount,
  resolveAccount,
} from './accountName.js';
import type { SimDomain } from './simDomain.js';
import type {
  JournalEntry,
  PsQuirks,
  SimAppPool,
  SimAppPoolSpec,
  SimCounters,
  SimEventLogEntry,
  SimService,
  SimServiceSpec,
  SimTask,
  SimTaskSpec,
} from './simTypes.js';
import { type WinError, winError } from './windowsErrors.js';

/** How a simulated host is created. @category testing */
export interface SimHostSpec {
  readonly computerName: string;
  /** The domain the host is joined to; a workgroup host has none. */
  readonly domain?: SimDomain;
  readonly iisInstalled?: boolean;
  readonly localAccounts?: ReadonlyArray<SimAccountSpec>;
  readonly services?: ReadonlyArray<SimServiceSpec>;
  readonly tasks?: ReadonlyArray<SimTaskSpec>;
  readonly appPools?: ReadonlyArray<SimAppPoolSpec>;
  /** Whether the ActiveDirectory module is there (default: joined). */
  readonly activeDirectoryModule?: boolean;
  /** The hardening policy that refuses stored task passwords (W27). */
  readonly taskPasswordsBlocked?: boolean;
  /**
   * IIS shared configuration (W31): the share and the account that reads
   * it, from `redirection.config`; `readable: false` (default true) is a
   * share that refuses that account (its password was rotated elsewhere).
   */
  readonly iisSharedConfig?: {
    readonly path: string;
    readonly userName: string;
    readonly readable?: boolean;
  };
  /**
   * PowerShell's language mode (W24); anything but `FullLanguage` (the
   * default), as under AppLocker or WDAC, stops every run at the bootstrap.
   */
  readonly languageMode?: string;
  readonly quirks?: PsQuirks;
}

type Action = JournalEntry['action'];

const service = (s: SimServiceSpec): SimService => ({
  name: s.name,
  displayName: s.displayName ?? s.name,
  state: s.state ?? 'stopped',
  startMode: s.startMode ?? 'manual',
  account: s.account ?? 'LocalSystem',
  password: s.password,
  dependsOn: [...(s.dependsOn ?? [])],
  stuck: s.stuck ?? false,
});

const task = (t: SimTaskSpec): SimTask => ({
  path: t.path,
  userId: t.userId === undefined ? 'LocalSystem' : t.userId,
  logonType: t.logonType ?? 'password',
  password: t.password,
  state: t.state ?? 'ready',
});

const pool = (p: SimAppPoolSpec): SimAppPool => ({
  name: p.name,
  identityType: p.identityType ?? 'application-pool-identity',
  userName: p.userName ?? '',
  password: p.password,
  state: p.state ?? 'started',
});

const byName = <T>(items: ReadonlyArray<T>, key: (t: T) => string) =>
  new Map(items.map((i) => [key(i).toLowerCase(), i]));

/**
 * A simulated Windows host: its names, local accounts, services, scheduled
 * tasks and app pools, with a journal of every step taken and per-dependent
 * counters. State is mutable on purpose: operations change it as Windows
 * would. The Windows semantics of services, tasks and pools live in
 * `serviceControl.ts` and `taskAndPool.ts`.
 *
 * @category testing
 */
export class SimHost {
  readonly computerName: string;
  readonly domain: SimDomain | undefined;
  iisInstalled: boolean;
  activeDirectoryModule: boolean;
  taskPasswordsBlocked: boolean;
  iisSharedConfig:
    | { readonly path: string; readonly userName: string; readable: boolean }
    | undefined;
  languageMode: string;
  quirks: PsQuirks;
  readonly localAccounts: AccountBook;
  readonly services: Map<string, SimService>;
  readonly tasks: Map<string, SimTask>;
  readonly appPools: Map<string, SimAppPool>;
  readonly #journal: JournalEntry[] = [];
  readonly #eventLog: SimEventLogEntry[] = [];
  readonly #counters = new Map<string, SimCounters>();

  constructor(spec: SimHostSpec) {
    this.computerName = spec.computerName;
    this.domain = spec.domain;
    this.iisInstalled = spec.iisInstalled ?? (spec.appPools ?? []).length > 0;
    this.activeDirectoryModule =
      spec.activeDirectoryModule ?? spec.domain !== undefined;
    this.taskPasswordsBlocked = spec.taskPasswordsBlocked ?? false;
    this.iisSharedConfig =
      spec.iisSharedConfig === undefined
        ? undefined
        : {
            path: spec.iisSharedConfig.path,
            userName: spec.iisSharedConfig.userName,
            readable: spec.iisSharedConfig.readable ?? true,
          };
    this.languageMode = spec.languageMode ?? 'FullLanguage';
    this.quirks = spec.quirks ?? {};
    this.localAccounts = new AccountBook(spec.localAccounts);
    this.services = byName((spec.services ?? []).map(service), (s) => s.name);
    this.tasks = byName((spec.tasks ?? []).map(task), (t) => t.path);
    this.appPools = byName((spec.appPools ?? []).map(pool), (p) => p.name);
  }

  /** The names account resolution uses on this host. */
  nameContext(): NameContext {
    const d = this.domain;

    return {
      computerName: this.computerName,
      ...(d === undefined
        ? {}
        : {
            domain: {
              netbios: d.netbios,
              dns: d.dns,
              upnSuffixes: d.upnSuffixes,
            },
          }),
    };
  }

  /** A service by name (case-insensitive). */
  service(name: string): SimService | undefined {
    return this.services.get(name.toLowerCase());
  }

  /** A task by full path (case-insensitive). */
  task(path: string): SimTask | undefined {
    return this.tasks.get(path.toLowerCase());
  }

  /** An app pool by name (case-insensitive). */
  appPool(name: string): SimAppPool | undefined {
    return this.appPools.get(name.toLowerCase());
  }

  /**
   * Logs on as a written account name with a password, as the SCM, Task
   * Scheduler or IIS do. Built-in, virtual and managed accounts need no
   * password. A bare name is looked up locally first, then in the domain.
   * A wrong password counts a bad logon on the account it resolves to.
   */
  logon(
    account: string,
    password: string | undefined,
  ): E.Either<WinError, void> {
    const resolved = this.canonicalAccount(account);
    const pw = password ?? '';
    switch (resolved.kind) {
      case 'builtin':
      case 'virtual':
      case 'managed':
        return E.right(undefined);
      case 'local':
      case 'unqualified':
        return this.localAccounts.verify(resolved.sam, pw);
      case 'domain':
        return this.domain === undefined
          ? E.left(winError('ERROR_NO_SUCH_DOMAIN', 'host is not joined'))
          : this.domain.verify(resolved.sam, pw);
      case 'unknown':
        return E.left(winError('ERROR_LOGON_FAILURE', 'unknown user name'));
    }
  }

  /**
   * What a written name stands for on this host; a bare name is the local
   * account of that name if there is one, else the domain's.
   */
  canonicalAccount(account: string): ResolvedAccount {
    const resolved = resolveAccount(account, this.nameContext());
    if (resolved.kind !== 'unqualified') {
      return resolved;
    }

    return this.localAccounts.get(resolved.sam) !== undefined ||
      this.domain === undefined
      ? { kind: 'local', sam: resolved.sam }
      : { kind: 'domain', sam: resolved.sam };
  }

  /** Whether two written names are the same account on this host. */
  sameAccount(a: string, b: string): boolean {
    const ra = this.canonicalAccount(a);
    const rb = this.canonicalAccount(b);
    if (ra.kind === 'unknown' || rb.kind === 'unknown') {
      return false;
    }

    return (
      JSON.stringify(ra).toLowerCase() === JSON.stringify(rb).toLowerCase()
    );
  }

  /** Appends a step to the journal. */
  record(
    action: Action,
    outcome: E.Either<WinError, unknown>,
    details: Pick<JournalEntry, 'dependent' | 'account'> = {},
  ): void {
    this.#journal.push({
      seq: this.#journal.length,
      action,
      ...details,
      ok: E.isRight(outcome),
      ...(E.isLeft(outcome) ? { code: outcome.left.code } : {}),
    });
  }

  /** Every step taken so far, in order. */
  journal(): ReadonlyArray<JournalEntry> {
    return [...this.#journal];
  }

  /** Writes an entry to the Application event log (source `rotor`). */
  writeEventLog(entry: Omit<SimEventLogEntry, 'seq'>): void {
    this.#eventLog.push({ seq: this.#eventLog.length, ...entry });
  }

  /** The entries rotor's scripts wrote to the Application event log. */
  eventLog(): ReadonlyArray<SimEventLogEntry> {
    return [...this.#eventLog];
  }

  /** The counters of one dependent (all zero if untouched), as a copy. */
  counters(ref: DependentRef): SimCounters {
    return { ...this.#live(ref) };
  }

  /** Adds one to a counter of a dependent. */
  bump(ref: DependentRef, counter: keyof SimCounters): void {
    this.#live(ref)[counter] += 1;
  }

  #live(ref: DependentRef): SimCounters {
    const key = dependentKey(ref);
    const found = this.#counters.get(key);
    if (found !== undefined) {
      return found;
    }
    const fresh = { starts: 0, stops: 0, credentialSets: 0, recycles: 0 };
    this.#counters.set(key, fresh);

    return fresh;
  }
}
