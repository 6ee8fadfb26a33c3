import { Command, Option } from 'commander';
import { gatewayVerb } from './commands/gateway.js';
import { jobInfoVerb } from './commands/jobInfo.js';
import { rotateVerb } from './commands/rotateVerb.js';
import { serviceVerb } from './commands/service.js';
import { demoVerb } from './commands/demo.js';
import { reopenVerbs } from './commands/reopen.js';
import { auditVerbs } from './commands/audit.js';
import { discoverVerb } from './commands/discover.js';
import { CliError, consoleOutput, exitCodes } from './output.js';
import type { GlobalOptions } from './runtime.js';
import {
  logLevels,
  pinoLogger,
  type ClosableLogger,
  type LogLevel,
} from './logging.js';

/**
 * The program and what it opened for the command that ran: the logger,
 * created on first use from `--log-level` and `--log-file`.
 */
const assemble = (
  json: boolean,
): { readonly program: Command; readonly close: () => void } => {
  let logger: ClosableLogger | undefined;
  const program = new Command('rotor')
    .description(
      'Rotate Windows service-account passwords and fix every service, task and app pool that uses them.',
    )
    .option('--store <file>', 'the SQLite event store', './rotor.db')
    .option(
      '--inventory <file>',
      'the YAML inventory of gateways, machines and users',
      './rotor.yaml',
    )
    .option(
      '--secrets <file>',
      'the encrypted secrets file (default: rotor-secrets.json beside the store)',
    )
    .option(
      '--secret-key-file <file>',
      'the 32-byte key of the secrets file (default: rotor.key beside the store; or ROTOR_SECRET_KEY)',
    )
    .option('--json', 'print one JSON document instead of text', false)
    .addOption(
      new Option(
        '--log-level <level>',
        'structured JSON logs of this level and above, on stderr or in --log-file',
      )
        .choices(logLevels)
        .default('warn'),
    )
    .option(
      '--log-file <file>',
      'append the JSON log lines to this file instead of stderr',
    )
    .configureOutput({
      writeOut: (text) => console.log(text.trimEnd()),
      writeErr: (text) => console.error(text.trimEnd()),
    })
    .showHelpAfterError()
    .exitOverride();
  const global = (): GlobalOptions => {
    const opts = program.opts<GlobalOptions>();
    logger ??= pinoLogger({
      level: (opts.logLevel ?? 'warn') as LogLevel,
      ...(opts.logFile === undefined ? {} : { file: opts.logFile }),
    });

    return { ...opts, logger };
  };
  const out = consoleOutput(json);
  for (const verb of [
    gatewayVerb,
    serviceVerb,
    rotateVerb,
    reopenVerbs,
    jobInfoVerb,
    auditVerbs,
    discoverVerb,
    demoVerb,
  ]) {
    verb(program, global, out);
  }

  return { program, close: () => logger?.close() };
};

/** Builds the `rotor` program; `json` when `--json` is among the arguments. */
export const buildProgram = (
  json: boolean = process.argv.includes('--json'),
): Command => assemble(json).program;

/** Runs the program on argv and sets the exit code. */
export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { program, close } = assemble(argv.includes('--json'));
  const out = consoleOutput(argv.includes('--json'));
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CliError) {
      out.error(e.message);
      process.exitCode = e.exitCode;
    } else if (
      e instanceof Error &&
      'code' in e &&
      typeof e.code === 'string' &&
      e.code.startsWith('commander.')
    ) {
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version'
          ? exitCodes.ok
          : exitCodes.badInput;
    } else {
      out.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    }
  } finally {
    close();
  }
};
