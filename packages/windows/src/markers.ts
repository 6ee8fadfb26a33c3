import { stdoutMarkers } from './protocol.js';

/**
 * What a run printed on stdout, read through its marker lines (see
 * `stdoutMarkers` in `protocol.ts`).
 *
 * @category model
 */
export interface StdoutReport {
  /** The bootstrap's `##rotor LANGMODE` report, if it printed one. */
  readonly languageMode?: string;
  /** The script reached its first change (`##rotor BEGIN`, W23). */
  readonly begun: boolean;
  /** The script printed its envelope and `##rotor END`. */
  readonly ended: boolean;
  /**
   * The envelope: the last non-empty line before `##rotor END`; without
   * that marker (an older script, a run cut short) the whole text, or its
   * last line. `undefined` when there is no text, `null` when it is not
   * JSON.
   */
  readonly document: unknown;
}

const bom = /^(\uFEFF|\u00EF\u00BB\u00BF)/;

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/** The old form: one document, maybe after a banner (its last line). */
const lastDocument = (lines: ReadonlyArray<string>): unknown => {
  const text = lines.join('\n').trim();
  if (text === '') {
    return undefined;
  }
  const whole = parse(text);
  if (whole !== null) {
    return whole;
  }

  return parse(lines.filter((l) => l.trim() !== '').pop() ?? '');
};

/**
 * Reads stdout's marker lines and its one envelope. Lines are split on LF
 * with a CR before it ignored (W23 e5), a byte-order mark at a line's
 * start is dropped (W21), and anything after `##rotor END` or before the
 * envelope that is not a marker is noise (a module's banner, a profile's
 * output). Total: no input makes it throw.
 *
 * @category utils
 */
export const readStdout = (stdout: string): StdoutReport => {
  const lines = stdout
    .split('\n')
    .map((line) => line.replace(/\r$/, '').replace(bom, ''));
  const marker = (line: string) => line.trim();
  const mode = lines
    .map(marker)
    .find((line) => line.startsWith(stdoutMarkers.languageMode));
  const begun = lines.some((line) => marker(line) === stdoutMarkers.begin);
  let end = -1;
  lines.forEach((line, i) => {
    if (marker(line) === stdoutMarkers.end) {
      end = i;
    }
  });
  const content = (end >= 0 ? lines.slice(0, end) : lines).filter(
    (line) => !marker(line).startsWith(stdoutMarkers.prefix),
  );
  const document =
    end >= 0
      ? ((): unknown => {
          const last = content.filter((l) => l.trim() !== '').pop();

          return last === undefined ? undefined : parse(last);
        })()
      : lastDocument(content);

  return {
    ...(mode === undefined
      ? {}
      : {
          languageMode: mode.slice(stdoutMarkers.languageMode.length).trim(),
        }),
    begun,
    ended: end >= 0,
    document,
  };
};
