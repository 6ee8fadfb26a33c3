import type { RecordedEvent } from '@rotor/core';
import type { Output } from '../output.js';
import { progressLine } from './progress.js';
import {
  applyEvent,
  renderView,
  startJob,
  type ProgressView,
} from './progressView.js';

/** Where the progress of the jobs a command runs goes. */
export interface ProgressSink {
  /** A job starts on these machines (by name). */
  readonly start: (label: string, machines: ReadonlyArray<string>) => void;
  /** A job appended an event. */
  readonly event: (label: string, event: RecordedEvent) => void;
  /** Every job has ended. */
  readonly end: () => void;
}

/** Progress shown nowhere (a command run without `--wait`). */
export const silentSink: ProgressSink = {
  start: () => undefined,
  event: () => undefined,
  end: () => undefined,
};

/**
 * Progress as plain lines, one per step, for a log or a pipe. With
 * several jobs, each line starts with its job's label.
 */
export const plainSink = (
  out: Output,
  machineName: (uid: string) => string,
  labelled: boolean,
): ProgressSink => ({
  start: () => undefined,
  event: (label, event) => {
    const line = progressLine(event, machineName);
    if (line !== undefined) {
      out.line(labelled ? `[${label}] ${line.trimStart()}` : line);
    }
  },
  end: () => undefined,
});

/** The terminal a live display writes to. */
export interface Terminal {
  readonly write: (text: string) => unknown;
  readonly columns?: number | undefined;
}

const up = (n: number) => (n > 0 ? `\u001b[${n}A` : '');
const clearLine = '\u001b[2K';
const eraseBelow = '\u001b[J';

/** Lines written to the same terminal by others (the log on stderr). */
export interface Interjections {
  write: (line: string) => void;
}

/**
 * A live display: a line per job and per machine, redrawn in place after
 * each event by moving the cursor back up over the lines drawn before
 * (ANSI cursor-up and erase-line). Lines are cut to the terminal's width
 * so that none wraps and the cursor arithmetic stays right. While it is
 * drawn, a line written through `others` is printed above the display,
 * which is then drawn again below it.
 */
export const liveSink = (
  terminal: Terminal,
  machineName: (uid: string) => string,
  others?: Interjections,
): ProgressSink => {
  let view: ProgressView = [];
  let drawn = 0;
  const width = () =>
    terminal.columns !== undefined && terminal.columns > 20
      ? terminal.columns - 1
      : 100;
  const draw = () => {
    const lines = renderView(view, width());
    terminal.write(up(drawn) + lines.map((l) => `${clearLine}${l}\n`).join(''));
    drawn = lines.length;
  };
  const original = others?.write;
  if (others !== undefined && original !== undefined) {
    others.write = (line) => {
      terminal.write(`${up(drawn)}${eraseBelow}`);
      drawn = 0;
      original(line);
      draw();
    };
  }

  return {
    start: (label, machines) => {
      view = startJob(view, label, machines);
      draw();
    },
    event: (label, event) => {
      view = applyEvent(view, label, event, machineName);
      draw();
    },
    end: () => {
      drawn = 0;
      if (others !== undefined && original !== undefined) {
        others.write = original;
      }
    },
  };
};
