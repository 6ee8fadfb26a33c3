import type { LogAttributes, Logger } from '@rotor/core';
import { pino } from 'pino';

/** The levels `--log-level` accepts, most detailed first. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;

/** A level of {@link logLevels}. */
export type LogLevel = (typeof logLevels)[number];

/** A {@link Logger} that must be closed when the command ends. */
export interface ClosableLogger extends Logger {
  /** Writes what is buffered and releases the file. */
  readonly close: () => void;
}

/** Attribute names whose values are never written, whatever they hold. */
const secretName = /pass(word|phrase)?|secret|credential|token/i;

/**
 * The attributes of a record, with any value under a name that sounds like
 * a secret replaced. The core's attributes are ids and counters; this is
 * the second lock on the door.
 */
export const safeAttributes = (
  attributes: LogAttributes | undefined,
): Record<string, string | number | boolean> => {
  const safe: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (v !== undefined) {
      safe[k] = secretName.test(k) ? '[redacted]' : v;
    }
  }

  return safe;
};

/**
 * Where the log lines bound for stderr go. The live progress display
 * replaces `write` while it is drawn, so that a line is printed above the
 * display instead of through it.
 */
export const stderrLines: { write: (line: string) => void } = {
  write: (line) => {
    process.stderr.write(line);
  },
};

/**
 * The core's {@link Logger} port over pino: one JSON line per record, to
 * stderr (through {@link stderrLines}) or appended to `file`, with `level` as a word, `time` in ISO
 * 8601, `event` the record's name (`engine.job.started`) and its
 * attributes (`job`, `machine`, `dependent` …) beside them. Writes are
 * synchronous, so nothing is lost when the command exits.
 */
export const pinoLogger = (options: {
  readonly level: LogLevel;
  readonly file?: string;
}): ClosableLogger => {
  const file =
    options.file === undefined
      ? undefined
      : pino.destination({
          dest: options.file,
          sync: true,
          append: true,
          mkdir: true,
        });
  const log = pino(
    {
      level: options.level,
      base: { name: 'rotor' },
      messageKey: 'event',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    file ?? { write: (line: string) => stderrLines.write(line) },
  );
  const at =
    (level: LogLevel) =>
    (name: string, attributes?: LogAttributes): void => {
      log[level](safeAttributes(attributes), name);
    };

  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    close: () => {
      file?.flushSync();
      file?.end();
    },
  };
};
