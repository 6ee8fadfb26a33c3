import * as E from 'fp-ts/lib/Either.js';
import type { RemoteResult } from '@rotor/core';
import {
  type OperationName,
  operationNames,
  operationOfScript,
  scriptSha256,
} from '@rotor/windows';
import type { SimStage } from './handler.js';
import { operations } from './operations.js';
import { integrityOf, printSimRun } from './simOutput.js';
import type { SimHost } from './simHost.js';
import type { PsQuirks } from './simTypes.js';
import { winError } from './windowsErrors.js';

const isOperation = (name: string | undefined): name is OperationName =>
  (operationNames as ReadonlyArray<string | undefined>).includes(name);

/** The input's job id and password, for the event log entry. */
const auditFields = (
  input: string,
): { readonly jobId?: string; readonly password?: string } => {
  try {
    const parsed = JSON.parse(input) as Record<string, unknown>;

    return {
      ...(typeof parsed['jobId'] === 'string'
        ? { jobId: parsed['jobId'] }
        : {}),
      ...(typeof parsed['password'] === 'string'
        ? { password: parsed['password'] }
        : {}),
    };
  } catch {
    return {};
  }
};

/** What the prelude's Get-RotorSafeText does to a message. */
const safeText = (text: string, secret: string | undefined): string => {
  const cut =
    secret === undefined || secret === ''
      ? text
      : text.split(secret).join('[secret]');

  return cut.replace(/\s+/g, ' ').trim().slice(0, 400);
};

/**
 * Runs one operation on a simulated host and answers as the bootstrap and
 * the real script would (see `printSimRun`): `##rotor LANGMODE`, then
 * `##rotor BEGIN` where the script passes its checks, then one envelope of
 * `protocol.ts`, ASCII-escaped with `asciiJson` and echoing the input's
 * nonce, then `##rotor END`; exit code 0 (`{"ok":true,"result":…}`) or 1
 * (`{"ok":false,"error":{code,name,message}}`). A host whose language
 * mode is not FullLanguage prints only the first line and exits 1 (W24).
 * An input whose `scriptSha256` is not the SHA-256 of the script is
 * `ScriptCorrupted` and runs nothing (W21); an input without one (tests
 * that send a stand-in script) is not checked. The operation is read
 * from the script's first line `# rotor-operation: <name>`. Input that is
 * not JSON or not of the operation's shape is error 87 naming the fields,
 * never their values. A change writes an event log entry naming the
 * input's `jobId` and what changed, never the password (issue 8). The
 * host's `quirks` (or `options.quirks`) shape the output as Windows
 * PowerShell 5.1 would.
 *
 * @category testing
 */
export const executeOnSimHost = (
  host: SimHost,
  command: { readonly script: string; readonly input: string },
  options: { readonly quirks?: PsQuirks } = {},
): RemoteResult => {
  const quirks = options.quirks ?? host.quirks;
  const integrity = integrityOf(command.input);
  const nonce = integrity.nonce === undefined ? {} : { nonce: integrity.nonce };
  if (host.languageMode !== 'FullLanguage') {
    return printSimRun(
      { languageMode: host.languageMode, begun: false, exitCode: 1 },
      quirks,
    );
  }
  if (
    integrity.scriptSha256 !== undefined &&
    integrity.scriptSha256 !== scriptSha256(command.script)
  ) {
    return printSimRun(
      {
        languageMode: host.languageMode,
        begun: false,
        envelope: {
          ok: false,
          error: {
            code: -1,
            name: 'ScriptCorrupted',
            message: 'the script is not the one sent: nothing was run',
          },
        },
        ...nonce,
        exitCode: 1,
      },
      quirks,
    );
  }
  let begun = false;
  let change: string | undefined;
  const stage: SimStage = {
    begin: (what) => {
      begun = true;
      change = what;
    },
  };
  const name = operationOfScript(command.script);
  const outcome = isOperation(name)
    ? operations[name](host, command.input, quirks, stage)
    : E.left(winError('ERROR_INVALID_FUNCTION', 'not a rotor operation'));
  if (change !== undefined) {
    const audit = auditFields(command.input);
    const outcomeText = E.isRight(outcome)
      ? 'succeeded'
      : `failed with ${outcome.left.name} (${outcome.left.code})`;
    host.writeEventLog({
      log: 'Application',
      source: 'rotor',
      eventId: E.isRight(outcome) ? 1000 : 1001,
      entryType: E.isRight(outcome) ? 'Information' : 'Warning',
      message: safeText(
        `rotor job ${audit.jobId ?? '(none)'}: ${change}: ${outcomeText}`,
        audit.password,
      ),
    });
  }
  const envelope = E.isRight(outcome)
    ? { ok: true, result: outcome.right }
    : {
        ok: false,
        error: {
          code: outcome.left.code,
          name: outcome.left.name,
          message: outcome.left.message,
          ...(outcome.left.underlying === undefined
            ? {}
            : { underlying: outcome.left.underlying }),
        },
      };

  return printSimRun(
    {
      languageMode: host.languageMode,
      begun,
      envelope,
      ...nonce,
      exitCode: E.isRight(outcome) ? 0 : 1,
    },
    quirks,
  );
};

/**
 * A stand-in for an operation's script: only its first line, which is all
 * the simulated host reads. Tests that do not load the real `.ps1` files
 * use it.
 *
 * @category testing
 */
export const simScript = (operation: OperationName): string =>
  `# rotor-operation: ${operation}\n# simulated\n`;
