import type { Secret } from '@rotor/core';
import { runProgram, type ProgramResult } from './runProgram.js';

/**
 * The domain's password and lockout policy, as `samba-tool domain
 * passwordsettings set` takes it; what is absent is left as it is.
 *
 * @category testing
 */
export interface SambaPasswordPolicy {
  readonly complexity?: boolean;
  readonly minLength?: number;
  /** Remembered passwords; 0 turns the history check off. */
  readonly history?: number;
  readonly minAgeDays?: number;
  readonly maxAgeDays?: number;
  /** Bad logons before lockout; 0 never locks. */
  readonly lockoutThreshold?: number;
  readonly lockoutDurationMinutes?: number;
  readonly resetLockoutAfterMinutes?: number;
}

/**
 * Administration of a throw-away DC through `samba-tool` on its database.
 * Passwords go on stdin, answered to samba-tool's prompts, never on a
 * command line. Each call rejects with samba-tool's output if it fails.
 *
 * @category testing
 */
export interface SambaTool {
  /**
   * Sets the domain's password and lockout policy; what `policy` leaves out
   * stays as it is.
   */
  readonly setPasswordPolicy: (policy: SambaPasswordPolicy) => Promise<void>;
  /** Creates the user `sam` with this password. */
  readonly createUser: (sam: string, password: Secret) => Promise<void>;
  /** An administrator's reset, bypassing nothing but the old password. */
  readonly setPassword: (sam: string, password: Secret) => Promise<void>;
  /** Enables the account `sam`. */
  readonly enable: (sam: string) => Promise<void>;
  /** Disables the account `sam`. */
  readonly disable: (sam: string) => Promise<void>;
  /** Clears the lockout of the account `sam`. */
  readonly unlock: (sam: string) => Promise<void>;
  /** Runs any samba-tool command against the DC (no secrets in `args`). */
  readonly run: (args: ReadonlyArray<string>) => Promise<ProgramResult>;
  /**
   * Runs a samba-tool command with the DC's configuration but no `-H`
   * (for commands that open the database themselves, such as
   * `domain exportkeytab`).
   */
  readonly runWithConfig: (
    args: ReadonlyArray<string>,
  ) => Promise<ProgramResult>;
}

const flag = (on: boolean) => (on ? 'on' : 'off');

const policyArgs = (p: SambaPasswordPolicy): string[] =>
  [
    p.complexity === undefined ? '' : `--complexity=${flag(p.complexity)}`,
    p.minLength === undefined ? '' : `--min-pwd-length=${p.minLength}`,
    p.history === undefined ? '' : `--history-length=${p.history}`,
    p.minAgeDays === undefined ? '' : `--min-pwd-age=${p.minAgeDays}`,
    p.maxAgeDays === undefined ? '' : `--max-pwd-age=${p.maxAgeDays}`,
    p.lockoutThreshold === undefined
      ? ''
      : `--account-lockout-threshold=${p.lockoutThreshold}`,
    p.lockoutDurationMinutes === undefined
      ? ''
      : `--account-lockout-duration=${p.lockoutDurationMinutes}`,
    p.resetLockoutAfterMinutes === undefined
      ? ''
      : `--reset-account-lockout-after=${p.resetLockoutAfterMinutes}`,
  ].filter((a) => a !== '');

/**
 * A {@link SambaTool} for the DC whose configuration is `smbConf` and whose
 * database is `samLdb`.
 *
 * @category testing
 */
export const sambaToolOf = (
  sambaTool: string,
  smbConf: string,
  samLdb: string,
): SambaTool => {
  const run = (args: ReadonlyArray<string>, input?: string) =>
    runProgram(sambaTool, [...args, '-s', smbConf, '-H', samLdb], {
      ...(input === undefined ? {} : { input }),
      timeoutMs: 60_000,
    });
  const must = async (args: ReadonlyArray<string>, input?: string) => {
    const result = await run(args, input);
    if (result.code !== 0) {
      const output = `${result.stdout}${result.stderr}`.trim();
      throw new Error(
        `samba-tool ${args.slice(0, 2).join(' ')} failed (${result.code}): ${output}`,
      );
    }
  };
  const twice = (password: Secret) =>
    `${password.reveal()}\n${password.reveal()}\n`;

  return {
    setPasswordPolicy: (policy) =>
      must(['domain', 'passwordsettings', 'set', ...policyArgs(policy)]),
    createUser: (sam, password) =>
      must(['user', 'create', sam], twice(password)),
    setPassword: (sam, password) =>
      must(['user', 'setpassword', sam], twice(password)),
    enable: (sam) => must(['user', 'enable', sam]),
    disable: (sam) => must(['user', 'disable', sam]),
    unlock: (sam) => must(['user', 'unlock', sam]),
    run: (args) => run(args),
    runWithConfig: (args) =>
      runProgram(sambaTool, [...args, '-s', smbConf], { timeoutMs: 60_000 }),
  };
};
