import * as E from 'fp-ts/lib/Either.js';
import { type WinError, winError } from './windowsErrors.js';

/**
 * How an account is created in the simulator. `lockoutThreshold` 0 means
 * the account never locks out.
 *
 * @category testing
 */
export interface SimAccountSpec {
  readonly sam: string;
  readonly password: string;
  readonly enabled?: boolean;
  readonly locked?: boolean;
  readonly badLogons?: number;
  readonly lockoutThreshold?: number;
}

/** An account as the simulator holds it. @category testing */
export interface SimAccount {
  readonly sam: string;
  password: string;
  enabled: boolean;
  locked: boolean;
  badLogons: number;
  lockoutThreshold: number;
}

/**
 * A set of accounts with Windows' logon rules: a wrong password counts a
 * bad logon and locks the account at the threshold; a locked account
 * refuses every logon; a right password resets the count. Names are
 * case-insensitive.
 *
 * @category testing
 */
export class AccountBook {
  readonly #accounts = new Map<string, SimAccount>();

  constructor(
    specs: ReadonlyArray<SimAccountSpec> = [],
    readonly defaultLockoutThreshold = 0,
  ) {
    specs.forEach((spec) => this.add(spec));
  }

  /** Adds (or replaces) an account. */
  add(spec: SimAccountSpec): SimAccount {
    const account: SimAccount = {
      sam: spec.sam,
      password: spec.password,
      enabled: spec.enabled ?? true,
      locked: spec.locked ?? false,
      badLogons: spec.badLogons ?? 0,
      lockoutThreshold: spec.lockoutThreshold ?? this.defaultLockoutThreshold,
    };
    this.#accounts.set(spec.sam.toLowerCase(), account);

    return account;
  }

  /** The account with this name, or `undefined`. */
  get(sam: string): SimAccount | undefined {
    return this.#accounts.get(sam.toLowerCase());
  }

  /** Every account. */
  list(): ReadonlyArray<SimAccount> {
    return [...this.#accounts.values()];
  }

  /**
   * Checks a password as a logon does: 1326 for an unknown account or a
   * wrong password (the latter counts a bad logon), 1909 when locked out,
   * 1331 when disabled.
   */
  verify(sam: string, password: string): E.Either<WinError, void> {
    const account = this.get(sam);
    if (account === undefined) {
      return E.left(winError('ERROR_LOGON_FAILURE', 'unknown user name'));
    }
    if (account.locked) {
      return E.left(
        winError('ERROR_ACCOUNT_LOCKED_OUT', 'the account is locked out'),
      );
    }
    if (account.password !== password) {
      account.badLogons += 1;
      if (
        account.lockoutThreshold > 0 &&
        account.badLogons >= account.lockoutThreshold
      ) {
        account.locked = true;
      }

      return E.left(winError('ERROR_LOGON_FAILURE', 'bad password'));
    }
    if (!account.enabled) {
      return E.left(winError('ERROR_ACCOUNT_DISABLED', 'account disabled'));
    }
    account.badLogons = 0;

    return E.right(undefined);
  }

  /** Sets an account's password; a missing account is an error. */
  setPassword(sam: string, password: string): E.Either<WinError, void> {
    const account = this.get(sam);
    if (account === undefined) {
      return E.left(winError('NERR_UserNotFound', 'the user was not found'));
    }
    account.password = password;

    return E.right(undefined);
  }

  /** Clears a lockout and the bad-logon count. */
  unlock(sam: string): void {
    const account = this.get(sam);
    if (account !== undefined) {
      account.locked = false;
      account.badLogons = 0;
    }
  }
}
