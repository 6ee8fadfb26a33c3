import { readFileSync } from 'node:fs';
import type * as t from 'io-ts';
import type { RemoteCommand } from '@rotor/core';
import { asciiJson, randomNonce, scriptSha256 } from './bootstrap.js';
import type {
  ChangeDomainPasswordInputCodec,
  ChangeLocalPasswordInputCodec,
  EnumerateInputCodec,
  IntegrityFields,
  OperationName,
  RecycleAppPoolInputCodec,
  RestartServiceInputCodec,
  SetAppPoolCredentialInputCodec,
  SetServiceCredentialInputCodec,
  SetTaskCredentialInputCodec,
  TestLogonInputCodec,
} from './protocol.js';

/**
 * The input each operation takes, by name.
 *
 * @category model
 */
export interface OperationInputs {
  readonly 'enumerate-dependents': t.TypeOf<typeof EnumerateInputCodec>;
  readonly 'set-service-credential': t.TypeOf<
    typeof SetServiceCredentialInputCodec
  >;
  readonly 'restart-service': t.TypeOf<typeof RestartServiceInputCodec>;
  readonly 'set-task-credential': t.TypeOf<typeof SetTaskCredentialInputCodec>;
  readonly 'set-apppool-credential': t.TypeOf<
    typeof SetAppPoolCredentialInputCodec
  >;
  readonly 'recycle-apppool': t.TypeOf<typeof RecycleAppPoolInputCodec>;
  readonly 'change-local-password': t.TypeOf<
    typeof ChangeLocalPasswordInputCodec
  >;
  readonly 'change-domain-password': t.TypeOf<
    typeof ChangeDomainPasswordInputCodec
  >;
  readonly 'test-logon': t.TypeOf<typeof TestLogonInputCodec>;
}

// `../scripts/` is the package's scripts folder both from src/ (tests, the
// `@rotor/source` condition) and from dist/ (the published build).
const scriptsFolder = new URL('../scripts/', import.meta.url);

/** The line of each script that the prelude replaces. */
const preludeLine =
  /^\. \(Join-Path \$PSScriptRoot '_prelude\.ps1'\) # rotor-prelude\r?$/m;

const readScript = (file: string): string =>
  readFileSync(new URL(file, scriptsFolder), 'utf8');

/**
 * An operation's script as written in `scripts/<operation>.ps1`, before
 * the prelude is inlined.
 *
 * @category utils
 */
export const scriptSource = (operation: OperationName): string =>
  readScript(`${operation}.ps1`);

/**
 * The shared helpers every operation uses (`scripts/_prelude.ps1`).
 *
 * @category utils
 */
export const preludeSource = (): string => readScript('_prelude.ps1');

/**
 * Puts the prelude in place of a script's `# rotor-prelude` line, after
 * its `param` block (which must stay the first statement). The marker line
 * `# rotor-operation: <name>` stays the first line.
 *
 * @category utils
 */
export const inlinePrelude = (script: string, prelude: string): string => {
  if (!preludeLine.test(script)) {
    throw new Error('script has no "# rotor-prelude" line');
  }

  return script.replace(preludeLine, () => prelude.trimEnd());
};

const cache = new Map<OperationName, string>();

/**
 * The full text sent for an operation: its script with the prelude
 * inlined. Read once per process.
 *
 * @category constructors
 */
export const operationScript = (operation: OperationName): string => {
  const cached = cache.get(operation);
  if (cached !== undefined) {
    return cached;
  }
  const script = inlinePrelude(scriptSource(operation), preludeSource());
  cache.set(operation, script);

  return script;
};

/**
 * The command a transport runs for an operation: the script, and the input
 * as ASCII JSON (every character above U+007E as a `\u` escape, astral
 * characters as surrogate pairs), for stdin only. The input also carries
 * a fresh random `nonce` that the envelope must echo and the script's
 * `scriptSha256` that the bootstrap checks (W21); `nonce` is returned
 * beside the command for `decodeOutput`'s check.
 *
 * @category constructors
 */
export const remoteCommand = <O extends OperationName>(
  operation: O,
  input: OperationInputs[O],
  nonce: string = randomNonce(),
): RemoteCommand & { readonly nonce: string } => {
  const script = operationScript(operation);
  const integrity: IntegrityFields = {
    nonce,
    scriptSha256: scriptSha256(script),
  };

  return {
    operation,
    script,
    input: asciiJson({ ...input, ...integrity }),
    nonce,
  };
};
