import type { Either } from 'fp-ts/lib/Either.js';
import type { WinError } from './windowsErrors.js';

/**
 * Where a {@link SimDomain} checks its passwords instead of its own account
 * book: a real directory (a Samba AD DC, see `sambaDirectory`). `verify`
 * answers at once, as a simulated service start needs, so an
 * implementation does one synchronous logon at the directory per call and
 * keeps no cache: the directory counts bad logons and locks accounts out.
 * `setPassword`, when present, resets a password there.
 *
 * @category testing
 */
export interface DirectoryBackend {
  /**
   * One logon of `sam` with `password` at the directory, answered
   * synchronously; a refusal is the Windows logon error.
   */
  readonly verify: (sam: string, password: string) => Either<WinError, void>;
  /** Resets the password of `sam` in the directory. */
  readonly setPassword?: (
    sam: string,
    password: string,
  ) => Either<WinError, void>;
}
