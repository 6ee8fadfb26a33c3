import type { RemoteResult } from '@rotor/core';
import { decodeStdin, isBootstrapCommandLine } from '@rotor/windows';

/**
 * One operation as a simulated host receives it: the script text and the
 * input JSON text, decoded from the bootstrap's stdin.
 *
 * @category testing
 */
export interface SimRequest {
  readonly script: string;
  readonly input: string;
}

/**
 * What answers an operation on a simulated host, e.g.
 * `(request) => Promise.resolve(executeOnSimHost(host, request))`.
 *
 * @category testing
 */
export type SimHandler = (request: SimRequest) => Promise<RemoteResult>;

/** The longest command line cmd.exe accepts, in characters. */
export const maxCommandLineLength = 8191;

const crlf = '\r\n';

const failed = (stderr: string): RemoteResult => ({
  stdout: '',
  stderr,
  exitCode: 1,
});

/**
 * How cmd.exe refuses a command line before anything reads stdin: over
 * 8191 characters ("The command line is too long."), or not the bootstrap
 * ("'x' is not recognized as an internal or external command"), both with
 * exit code 1. `undefined` for the bootstrap's command line.
 *
 * @category testing
 */
export const refusalOf = (commandLine: string): RemoteResult | undefined => {
  if (commandLine.length > maxCommandLineLength) {
    return failed(`The command line is too long.${crlf}`);
  }
  if (isBootstrapCommandLine(commandLine)) {
    return undefined;
  }
  const name = /^\s*("[^"]*"|\S*)/.exec(commandLine)?.[1] ?? '';

  return failed(
    `'${name.replace(/"/g, '')}' is not recognized as an internal or ` +
      `external command,${crlf}operable program or batch file.${crlf}`,
  );
};

/**
 * Runs the bootstrap on the stdin it was given: decodes the script and
 * input and hands them to the handler. Stdin that is not of the
 * bootstrap's form, or a handler that throws, fails as an uncaught
 * PowerShell exception would: a message on stderr, exit code 1.
 *
 * @category testing
 */
export const runBootstrap = async (
  stdin: string,
  handler: SimHandler,
): Promise<RemoteResult> => {
  const request = decodeStdin(stdin);
  if (request === undefined) {
    return failed(
      'Exception calling "FromBase64String" with "1" argument(s): "The ' +
        `input is not a valid Base-64 string."${crlf}`,
    );
  }
  try {
    return await handler(request);
  } catch (error) {
    const message =
      error instanceof Error ? error.message : 'the operation failed';

    return failed(`${message}${crlf}`);
  }
};

/**
 * Answers a command line and its stdin the way Windows' OpenSSH (through
 * cmd.exe) with PowerShell 5.1 would: {@link refusalOf}, else
 * {@link runBootstrap}.
 *
 * @category testing
 */
export const answerCommandLine = async (
  commandLine: string,
  stdin: string,
  handler: SimHandler,
): Promise<RemoteResult> =>
  refusalOf(commandLine) ?? runBootstrap(stdin, handler);
