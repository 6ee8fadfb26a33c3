/**
 * How an operation reaches PowerShell on a host. Windows' OpenSSH runs a
 * command through cmd.exe, whose command line stops at 8191 characters, so
 * the command line carries only this fixed bootstrap, and the operation's
 * script and input travel on stdin (see `protocol.ts`).
 *
 * @packageDocumentation
 */

import { createHash, randomBytes } from 'node:crypto';

/**
 * The bootstrap. It first prints `##rotor LANGMODE <mode>` by property
 * access and string expansion only (allowed in every language mode but
 * NoLanguage) and stops with exit code 1 outside FullLanguage, before it
 * reads stdin (W24). Then it reads the script (base64 of UTF-8) and the
 * input (ASCII JSON) from stdin, one line each, through `[Console]::In`
 * only (W23), and checks that the script's SHA-256 is the input's
 * `scriptSha256` (W21): otherwise it prints a `ScriptCorrupted` envelope
 * echoing the input's nonce and runs nothing. Then it runs the script with
 * the input as its only argument. Kept short: see {@link bootstrapCommandLine}.
 *
 * @category model
 */
export const bootstrapScript = [
  '"##rotor LANGMODE $($ExecutionContext.SessionState.LanguageMode)"',
  "if($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage'){exit 1}",
  "$ErrorActionPreference='Stop'",
  '$s=[Console]::In.ReadLine()',
  '$j=[Console]::In.ReadLine()',
  '$b=[Convert]::FromBase64String($s)',
  "$h=-join([Security.Cryptography.SHA256]::Create().ComputeHash($b)|%{$_.ToString('x2')})",
  "$n=''",
  'if($j -match \'"nonce":"([0-9a-f]+)"\'){$n=$Matches[1]}',
  'if($j -notmatch (\'"scriptSha256":"\'+$h+\'"\')){' +
    '[Console]::Out.WriteLine(\'{"ok":false,"error":{"code":-1,"name":"ScriptCorrupted","message":"the script is not the one sent: nothing was run"},"nonce":"\'+$n+\'"}\');' +
    "[Console]::Out.WriteLine('##rotor END');exit 1}",
  '& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString($b))) $j',
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

const hashes = new Map<string, string>();

/**
 * The SHA-256 of a script's UTF-8 text, as 64 lowercase hex digits: what
 * the bootstrap computes over the bytes it decoded from stdin (W21).
 *
 * @category utils
 */
export const scriptSha256 = (script: string): string => {
  // The scripts are a handful of constant texts: hashing each once, not on
  // every command, took 7.6 % of a large fan-out's CPU.
  let hash = hashes.get(script);
  if (hash === undefined) {
    hash = createHash('sha256').update(script, 'utf8').digest('hex');
    if (hashes.size < 64) {
      hashes.set(script, hash);
    }
  }

  return hash;
};

/**
 * A fresh random 128-bit nonce, as 32 lowercase hex digits (W21).
 *
 * @category constructors
 */
export const randomNonce = (): string => randomBytes(16).toString('hex');
