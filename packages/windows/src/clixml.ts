/**
 * What PowerShell wrote on stderr. Without a console (over WinRM, or SSH
 * without a terminal) it writes its non-output streams as CLIXML after a
 * `#< CLIXML` line: progress records are noise, warnings are kept apart,
 * and error records are failures whatever the exit code.
 *
 * @category model
 */
export interface StderrReport {
  /** Error messages; adjacent error fragments are joined into one. */
  readonly errors: ReadonlyArray<string>;
  readonly warnings: ReadonlyArray<string>;
  /** Text outside any CLIXML document. */
  readonly plain: string;
}

const header = /^\uFEFF?#< CLIXML\r?\n?/gm;
const documents = /<Objs\b[^>]*>([\s\S]*?)<\/Objs>/g;
const records =
  /<S S="([^"]*)">([\s\S]*?)<\/S>|<Obj S="([^"]*)"[^>]*>([\s\S]*?)<\/Obj>/g;

// ESC [ parameters letter: the colours PowerShell 7 adds to error text.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[A-Za-z]/g;

const unescapeXml = (text: string): string =>
  text
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Text as a person would read it: `_xHHHH_` and XML escapes decoded, ANSI
 * colour sequences removed.
 *
 * @category utils
 */
export const plainText = (text: string): string =>
  unescapeXml(text).replace(ansi, '');

const errorOfObject = (body: string): string => {
  const shown = /<ToString>([\s\S]*?)<\/ToString>/.exec(body)?.[1];

  return shown === undefined ? 'error record' : plainText(shown);
};

/**
 * Splits stderr into error messages, warnings and plain text. Total: any
 * string gives a report.
 *
 * @category utils
 */
export const readStderr = (stderr: string): StderrReport => {
  const errors: string[] = [];
  const warnings: string[] = [];
  let pending: string | undefined;
  const flush = (): void => {
    if (pending !== undefined) {
      errors.push(pending);
      pending = undefined;
    }
  };
  const withoutHeaders = stderr.replace(header, '');
  for (const document of withoutHeaders.matchAll(documents)) {
    for (const record of (document[1] ?? '').matchAll(records)) {
      const stream = (record[1] ?? record[3] ?? '').toLowerCase();
      if (stream === 'error') {
        const text =
          record[1] !== undefined
            ? plainText(record[2] ?? '')
            : errorOfObject(record[4] ?? '');
        pending = (pending ?? '') + text;
        continue;
      }
      flush();
      if (stream === 'warning' && record[1] !== undefined) {
        warnings.push(plainText(record[2] ?? ''));
      }
    }
    flush();
  }
  const plain = withoutHeaders.replace(documents, '').replace(/^\uFEFF/, '');

  return { errors, warnings, plain: plain.trim() === '' ? '' : plain };
};
