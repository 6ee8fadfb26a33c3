import { CliError, exitCodes, type Output } from '../output.js';
import type { GlobalOptions } from '../runtime.js';
import { rotateMany, splitUsers } from './bulk.js';
import { gateOf, gateOptions, positive } from './gateOptions.js';
import { rotate } from './rotate.js';
import type { Verb } from './verb.js';

/** `rotor rotate -r <user>…` or `rotor rotate --all -g <gateway>`. */
export const rotateVerb: Verb = (program, global, out) => {
  gateOptions(
    program
      .command('rotate')
      .description(
        "rotate a user's password (or several users') and fix every mapped dependent",
      )
      .option(
        '-r, --record <user...>',
        'the user(s) to rotate (uid or title); repeat -r or give a comma list for several',
      )
      .option(
        '--all',
        'rotate every user with an enabled mapping on the gateway given by -g',
      )
      .option(
        '--max-jobs <n>',
        'with several users: how many jobs run at once (default 2)',
        positive('--max-jobs'),
      )
      .option(
        '-g, --gateway <gateway>',
        'the gateway, when the user is mapped on several',
      )
      .option(
        '--wait',
        'show live progress per machine (redrawn in place on a terminal) and the summary',
      )
      .option(
        '--external',
        'propagate a password changed elsewhere (the current one in the secret store, or --new-password-*); do not change the account',
      )
      .option(
        '--new-password-env <var>',
        'with --external: the environment variable holding the password set elsewhere',
      )
      .option(
        '--new-password-file <file>',
        'with --external: the file holding the password set elsewhere',
      )
      .option(
        '--no-restart',
        'set passwords now; leave restarts for `rotor restart`',
      )
      .option(
        '--preflight',
        'reach, log on to and enumerate every machine first; change nothing if one fails',
      )
      .option(
        '--dry-run',
        'print what would be set and restarted on each machine; change and record nothing',
      ),
  ).action(
    async (o: {
      record?: string[];
      all?: boolean;
      maxJobs?: number;
      gateway?: string;
      wait?: boolean;
      external?: boolean;
      restart?: boolean;
      preflight?: boolean;
      dryRun?: boolean;
      newPasswordEnv?: string;
      newPasswordFile?: string;
      logonBudget?: number;
      lockoutThreshold?: number;
    }) => {
      if (o.newPasswordEnv !== undefined && o.newPasswordFile !== undefined) {
        throw new CliError(
          'give one of --new-password-env and --new-password-file',
        );
      }
      const newPassword =
        o.newPasswordEnv !== undefined
          ? { env: o.newPasswordEnv }
          : o.newPasswordFile !== undefined
            ? { file: o.newPasswordFile }
            : undefined;
      const users = splitUsers(o.record ?? []);
      const [only] = users;
      if (o.all === true || users.length > 1) {
        await rotateSeveral(global(), users, o, out);

        return;
      }
      if (only === undefined) {
        throw new CliError(
          'name the user(s) to rotate with -r, or --all -g <gateway>',
        );
      }
      if (o.maxJobs !== undefined) {
        throw new CliError('--max-jobs applies to several users only');
      }
      const { status } = await rotate(
        global(),
        {
          user: only,
          ...(o.gateway === undefined ? {} : { gateway: o.gateway }),
          ...(o.wait === undefined ? {} : { wait: o.wait }),
          ...(o.external === undefined ? {} : { external: o.external }),
          ...(o.restart === undefined ? {} : { restart: o.restart }),
          ...(o.preflight === undefined ? {} : { preflight: o.preflight }),
          ...(o.dryRun === undefined ? {} : { dryRun: o.dryRun }),
          ...(newPassword === undefined ? {} : { newPassword }),
          gate: gateOf(o),
        },
        out,
      );
      if (status !== 'finished' && status !== 'dry-run') {
        process.exitCode = exitCodes.jobNotClean;
      }
    },
  );
};

/** The several-users path of `rotate`, with what it refuses. */
const rotateSeveral = async (
  opts: GlobalOptions,
  users: ReadonlyArray<string>,
  o: {
    all?: boolean;
    maxJobs?: number;
    gateway?: string;
    wait?: boolean;
    external?: boolean;
    restart?: boolean;
    preflight?: boolean;
    dryRun?: boolean;
    newPasswordEnv?: string;
    newPasswordFile?: string;
    logonBudget?: number;
    lockoutThreshold?: number;
  },
  out: Output,
): Promise<void> => {
  if (o.all === true && users.length > 0) {
    throw new CliError('give either -r <user>… or --all, not both');
  }
  if (o.dryRun === true) {
    throw new CliError('--dry-run previews one user; run it per user');
  }
  if (o.newPasswordEnv !== undefined || o.newPasswordFile !== undefined) {
    throw new CliError(
      '--new-password-env/-file name one password, for one user',
    );
  }
  const rows = await rotateMany(
    opts,
    {
      users,
      maxJobs: o.maxJobs ?? 2,
      ...(o.all === undefined ? {} : { all: o.all }),
      ...(o.gateway === undefined ? {} : { gateway: o.gateway }),
      ...(o.wait === undefined ? {} : { wait: o.wait }),
      ...(o.external === undefined ? {} : { external: o.external }),
      ...(o.restart === undefined ? {} : { restart: o.restart }),
      ...(o.preflight === undefined ? {} : { preflight: o.preflight }),
      gate: gateOf(o),
    },
    out,
  );
  if (rows.some((r) => r.status !== 'finished')) {
    process.exitCode = exitCodes.jobNotClean;
  }
};
