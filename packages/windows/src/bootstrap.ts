/**
 * How an operation reaches PowerShell on a host. Windows' OpenSSH runs a
 * command through cmd.exe, whose command line stops at 8191 characters, so
 * the command line carries only this fixed bootstrap, and the operation's
 * script and input travel on stdin (see `protocol.ts`).
 *
 * @packageDocumentation
 */

/**
 * The bootstrap: read the script (base64 of UTF-8) and the input (ASCII
 * JSON) from stdin, one line each, and run the script with the input as its
 * only argument. Kept short: its encoded form is well under 1 KB.
 *
 * @category model
 */
export const bootstrapScript = [
  "$ErrorActionPreference='Stop'",
  '$s=[Console]::In.ReadLine()',
  '$j=[Console]::In.ReadLine()',
  '$t=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($s))',
  '& ([ScriptBlock]::Create($t)) $j',
  'exit $LASTEXITCODE',
].join(';');

/**
 * The command line that starts the bootstrap:
 * `powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64 of the
 * UTF-16LE bootstrap>`.
 *
 * @category constructors
 */
export const bootstrapCommandLine = (): string =>
  'powershell.exe -NoProfile -NonInteractive -EncodedCommand ' +
  Buffer.from(bootstrapScript, 'utf16le').toString('base64');

/**
 * JSON with every character above U+007E written as a `\u` escape, so that
 * it is pure ASCII and survives any code page.
 *
 * @category utils
 */
export const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * What the gateway writes on the bootstrap's stdin for one operation: the
 * script as base64 of its UTF-8 text, then the input JSON, one line each.
 *
 * @category constructors
 */
export const encodeStdin = (script: string, inputJson: string): string =>
  `${Buffer.from(script, 'utf8').toString('base64')}\r\n${inputJson}\r\n`;

/**
 * The reverse of {@link encodeStdin}, for simulated hosts: the script and
 * the input JSON text, or `undefined` when stdin is not of that form.
 *
 * @category utils
 */
export const decodeStdin = (
  stdin: string,
): { readonly script: string; readonly input: string } | undefined => {
  const [encoded, input] = stdin.split(/\r?\n/);
  if (encoded === undefined || input === undefined || encoded === '') {
    return undefined;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    return undefined;
  }

  return { script: Buffer.from(encoded, 'base64').toString('utf8'), input };
};

/**
 * Whether a command line is the bootstrap's, as a simulated host checks
 * what it is asked to run.
 *
 * @category utils
 */
export const isBootstrapCommandLine = (commandLine: string): boolean =>
  commandLine === bootstrapCommandLine();

/**
 * The operation a script performs, read from its first line
 * `# rotor-operation: <name>`.
 *
 * @category utils
 */
export const operationOfScript = (script: string): string | undefined =>
  /^# rotor-operation: ([a-z-]+)\r?\n/.exec(script)?.[1];
