import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainNames } from '@rotor/core';
import { AccountBook, type SimAccountSpec } from './accountBook.js';
import type { WinError } from './windowsErrors.js';

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

  constructor(spec: SimDomainSpec) {
    this.netbios = spec.netbios;
    this.dns = spec.dns;
    this.upnSuffixes = spec.upnSuffixes ?? [];
    this.accounts = new AccountBook(spec.accounts, spec.lockoutThreshold);
    this.managedAccounts = new Set(
      (spec.managedAccounts ?? []).map((m) => m.toLowerCase()),
    );
  }

  /** The domain's names as the core's records carry them. */
  names(): DomainNames {
    return {
      netbios: this.netbios,
      dns: this.dns,
      upnSuffixes: [...this.upnSuffixes],
    };
  }

  /** Checks a password as a domain logon does (see {@link AccountBook}). */
  verify(sam: string, password: string): Either<WinError, void> {
    return this.accounts.verify(sam, password);
  }

  /** Sets an account's password, as an administrator's reset does. */
  setPassword(sam: string, password: string): Either<WinError, void> {
    return this.accounts.setPassword(sam, password);
  }

  /** Whether `sam` (with its `$`) is a gMSA of this domain. */
  isManaged(sam: string): boolean {
    return this.managedAccounts.has(sam.toLowerCase());
  }
}
