import type { DomainNames } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { AccountBook, type SimAccountSpec } from './accountBook.js';
import type { DirectoryBackend } from './directoryBackend.js';
import { type WinError, scriptError } from './windowsErrors.js';

/** How a simulated domain is created. @category testing */
export interface SimDomainSpec {
  readonly netbios: string;
  readonly dns: string;
  /** Extra UPN suffixes; the DNS name is always one. */
  readonly upnSuffixes?: ReadonlyArray<string>;
  readonly accounts?: ReadonlyArray<SimAccountSpec>;
  /** Group managed service accounts, with their trailing `$`. */
  readonly managedAccounts?: ReadonlyArray<string>;
  /** The default lockout threshold of new accounts; 0 never locks. */
  readonly lockoutThreshold?: number;
  /**
   * A real directory that checks (and may reset) the domain's passwords;
   * the account book then only names the accounts (helper M).
   */
  readonly directory?: DirectoryBackend;
}

/**
 * A simulated Active Directory domain: its names, its user accounts with
 * Windows' logon and lockout rules, and its gMSAs (which have no password
 * anyone can set or check).
 *
 * @category testing
 */
export class SimDomain {
  readonly netbios: string;
  readonly dns: string;
  readonly upnSuffixes: ReadonlyArray<string>;
  readonly accounts: AccountBook;
  readonly managedAccounts: ReadonlySet<string>;
  /** The real directory behind this domain, if any. */
  readonly directory: DirectoryBackend | undefined;

  constructor(spec: SimDomainSpec) {
    this.netbios = spec.netbios;
    this.dns = spec.dns;
    this.upnSuffixes = spec.upnSuffixes ?? [];
    this.accounts = new AccountBook(spec.accounts, spec.lockoutThreshold);
    this.managedAccounts = new Set(
      (spec.managedAccounts ?? []).map((m) => m.toLowerCase()),
    );
    this.directory = spec.directory;
  }

  /** The domain's names as the core's records carry them. */
  names(): DomainNames {
    return {
      netbios: this.netbios,
      dns: this.dns,
      upnSuffixes: [...this.upnSuffixes],
    };
  }

  /**
   * Checks a password as a domain logon does (see {@link AccountBook}); with
   * a {@link DirectoryBackend}, the directory answers.
   */
  verify(sam: string, password: string): E.Either<WinError, void> {
    return this.directory === undefined
      ? this.accounts.verify(sam, password)
      : this.directory.verify(sam, password);
  }

  /**
   * Sets an account's password, as an administrator's reset does; with a
   * directory that cannot reset, `DirectoryReadOnly`.
   */
  setPassword(sam: string, password: string): E.Either<WinError, void> {
    if (this.directory === undefined) {
      return this.accounts.setPassword(sam, password);
    }

    return this.directory.setPassword === undefined
      ? E.left(
          scriptError(
            'DirectoryReadOnly',
            "this domain's directory does not reset passwords",
          ),
        )
      : this.directory.setPassword(sam, password);
  }

  /** Whether `sam` (with its `$`) is a gMSA of this domain. */
  isManaged(sam: string): boolean {
    return this.managedAccounts.has(sam.toLowerCase());
  }
}
