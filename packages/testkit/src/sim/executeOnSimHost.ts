import * as E from 'fp-ts/lib/Either.js';
import type { RemoteResult } from '@rotor/core';
import {
  type OperationName,
  asciiJson,
  operationNames,
  operationOfScript,
} from '@rotor/windows';
import { operations } from './operations.js';
import type { SimHost } from './simHost.js';
import type { PsQuirks } from './simTypes.js';
import { winError } from './windowsErrors.js';

const isOperation = (name: string | undefined): name is OperationName =>
  (operationNames as ReadonlyArray<string | undefined>).includes(name);

const progressNoise =
  '#< CLIXML\r\n<Objs Version="1.1.0.1" ' +
  'xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
  '<Obj S="progress" RefId="0"><TN RefId="0">' +
  '<T>System.Management.Automation.PSCustomObject</T></TN><MS>' +
  '<I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for ' +
  'first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>' +
  '<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj></Objs>\r\n';

/**
 * Runs one operation on a simulated host and answers as the real script
 * would: one envelope of `protocol.ts`, ASCII-escaped with `asciiJson`,
 * exit code 0 (`{"ok":true,"result":…}`) or 1
 * (`{"ok":false,"error":{code,name,message}}`). The operation is read from
 * the script's first line `# rotor-operation: <name>`; the input is the
 * JSON text a script gets on stdin. Input that is not JSON or not of the
 * operation's shape is error 87 naming the fields, never their values.
 * The host's `quirks` (or `options.quirks`) shape the output as Windows
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
  const name = operationOfScript(command.script);
  const outcome = isOperation(name)
    ? operations[name](host, command.input, quirks)
    : E.left(winError('ERROR_INVALID_FUNCTION', 'not a rotor operation'));
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

  return {
    stdout: `${quirks.bom === true ? '\ufeff' : ''}${asciiJson(envelope)}\r\n`,
    stderr: quirks.clixmlProgress === true ? progressNoise : '',
    exitCode: E.isRight(outcome) ? 0 : 1,
  };
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
