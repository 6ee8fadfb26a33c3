import type { Command } from 'commander';
import { CliError } from '../output.js';
import type { GateOptions } from '../wiring.js';

/** A commander parser of a whole number of at least 1, named in errors. */
export const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new CliError(`${name} must be a whole number of at least 1`);
  }

  return n;
};

/** The options that gate restarts, shared by rotate, restart and retry. */
export const gateOptions = <C extends Command>(c: C): C =>
  c
    .option(
      '--logon-budget <n>',
      'failed logons the restarts may cause before the rest are halted (default 2)',
      positive('--logon-budget'),
    )
    .option(
      '--lockout-threshold <n>',
      "the domain's account lockout threshold; the budget must stay under it",
      positive('--lockout-threshold'),
    );

/** Reads the gate options a command was given. */
export const gateOf = (o: {
  logonBudget?: number;
  lockoutThreshold?: number;
}): GateOptions => ({
  ...(o.logonBudget === undefined ? {} : { logonFailureBudget: o.logonBudget }),
  ...(o.lockoutThreshold === undefined
    ? {}
    : { lockoutThreshold: o.lockoutThreshold }),
});
