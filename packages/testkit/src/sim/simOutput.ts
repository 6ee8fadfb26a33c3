import type { RemoteResult } from '@rotor/core';
import { asciiJson, stdoutMarkers } from '@rotor/windows';
import type { PsQuirks } from './simTypes.js';

const progressNoise =
  '#< CLIXML\r\n<Objs Version="1.1.0.1" ' +
  'xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
  '<Obj S="progress" RefId="0"><TN RefId="0">' +
  '<T>System.Management.Automation.PSCustomObject</T></TN><MS>' +
  '<I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for ' +
  'first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>' +
  '<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj></Objs>\r\n';

/** What one simulated run prints, before it is laid out as stdout. */
export interface SimRun {
  /** PowerShell's language mode, as the bootstrap reports it. */
  readonly languageMode: string;
  /** Whether the script reached its first change (`##rotor BEGIN`). */
  readonly begun: boolean;
  /** The envelope without its nonce; none when the bootstrap stopped. */
  readonly envelope?: Readonly<Record<string, unknown>>;
  /** The input's nonce, echoed in the envelope when there is one. */
  readonly nonce?: string;
  readonly exitCode: number;
}

/**
 * Lays a run out on stdout as the bootstrap and the scripts print it: the
 * `##rotor LANGMODE` line, `##rotor BEGIN` when the script reached its
 * first change, the envelope (with the nonce echoed) and `##rotor END`,
 * each line ending in CRLF, a BOM first when the quirk asks for it, and
 * `#< CLIXML` progress records on stderr when that quirk is on.
 *
 * @category testing
 */
export const printSimRun = (run: SimRun, quirks: PsQuirks): RemoteResult => {
  const lines = [`${stdoutMarkers.languageMode}${run.languageMode}`];
  if (run.begun) {
    lines.push(stdoutMarkers.begin);
  }
  if (run.envelope !== undefined) {
    lines.push(
      asciiJson(
        run.nonce === undefined
          ? run.envelope
          : { ...run.envelope, nonce: run.nonce },
      ),
      stdoutMarkers.end,
    );
  }

  return {
    stdout: `${quirks.bom === true ? '\ufeff' : ''}${lines.map((l) => `${l}\r\n`).join('')}`,
    stderr: quirks.clixmlProgress === true ? progressNoise : '',
    exitCode: run.exitCode,
  };
};

/**
 * The nonce and script digest of an input (W21), when it is JSON that
 * carries them; read with the patterns the bootstrap and prelude use.
 *
 * @category testing
 */
export const integrityOf = (
  input: string,
): { readonly nonce?: string; readonly scriptSha256?: string } => {
  const nonce = /"nonce":"([0-9a-f]+)"/.exec(input)?.[1];
  const digest = /"scriptSha256":"([0-9a-f]+)"/.exec(input)?.[1];

  return {
    ...(nonce === undefined ? {} : { nonce }),
    ...(digest === undefined ? {} : { scriptSha256: digest }),
  };
};
